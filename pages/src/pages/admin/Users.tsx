// The accounts: the list (filtered by role, ?role=… in the URL), a new account (a
// facility user names their facility; the initial password follows the server's rule,
// at least 12 characters), disable / enable (disabling asks first) and a password reset.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, problemOf, type Problem } from '../../api/client';
import type { Page, Role } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';
import { useUser } from '../../session';
import { AdminTable } from './AdminTable';
import { ConfirmButton, FeedbackView, useFeedback, type Feedback } from './Feedback';
import { roles, type Facility, type UserAccount } from './types';

const minPassword = 12;

export function Users() {
  const { t, dateTime } = useI18n();
  const me = useUser();
  const { query, route } = useLocation();
  const role = roles.includes(query.role as Role) ? (query.role as Role) : '';
  const [users, setUsers] = useState<UserAccount[] | null>(null);
  const [facilities, setFacilities] = useState<Facility[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [resetting, setResetting] = useState<string | null>(null);
  const feedback = useFeedback();
  const load = useCallback(async () => {
    try {
      const [accounts, places] = await Promise.all([api<Page<UserAccount>>('/users'), api<Page<Facility>>('/facilities')]);
      setUsers(accounts.items);
      setFacilities(places.items);
      setProblem(null);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  }, []);
  useEffect(() => {
    load();
  }, [load]);

  const setActive = (user: UserAccount, active: boolean) =>
    feedback
      .run(
        () => api<UserAccount>('/users/' + encodeURIComponent(user.username), { method: 'PATCH', body: { active } }),
        () => t(active ? 'admin.user.enabled' : 'admin.user.disabled', { username: user.username }),
      )
      .then(load);
  const shown = (users ?? []).filter((u) => !role || u.role === role);

  return (
    <div class="admin-section" data-section="users">
      <h2>{t('admin.user.list')}</h2>
      <label class="inline-filter">
        {t('admin.user.filter')}
        <select
          name="role-filter"
          value={role}
          onChange={(e) => route('/app/admin/users' + (e.currentTarget.value ? '?role=' + e.currentTarget.value : ''))}
        >
          <option value="">{t('admin.any')}</option>
          {roles.map((r) => (
            <option value={r} key={r}>
              {t(`role.${r}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <FeedbackView feedback={feedback} name="users" />
      <AdminTable
        name="users"
        loaded={users !== null}
        problem={problem}
        onRetry={load}
        columns={['admin.user.username', 'admin.user.role', 'admin.user.facility', 'admin.user.state', 'admin.user.created_at', 'admin.actions']}
        empty={shown.length === 0}
      >
        {shown.map((u) => (
          <tr key={u.username} data-user-row={u.username} data-active={String(u.active)}>
            <td>
              <strong>{u.username}</strong> {u.demo && <small class="muted">({t('admin.user.demo')})</small>}
            </td>
            <td>{t(`role.${u.role}` as MessageKey)}</td>
            <td>{u.facility_code ?? '—'}</td>
            <td data-field="state">{u.active ? t('admin.active') : <strong>{t('admin.inactive')}</strong>}</td>
            <td>{dateTime(u.created_at)}</td>
            <td class="row-actions">
              {u.active ? (
                u.username !== me.username && (
                  <ConfirmButton
                    label={t('admin.user.disable')}
                    what={t('admin.user.disable.what', { username: u.username })}
                    onConfirm={() => setActive(u, false)}
                    disabled={feedback.busy}
                    action="disable-user"
                  />
                )
              ) : (
                <button type="button" class="secondary outline small" onClick={() => setActive(u, true)} data-action="enable-user">
                  {t('admin.user.enable')}
                </button>
              )}{' '}
              <button type="button" class="secondary outline small" onClick={() => setResetting(u.username)} data-action="reset-password">
                {t('admin.user.reset')}
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
      {resetting && (
        <ResetPassword key={resetting} username={resetting} feedback={feedback} onDone={() => setResetting(null)} />
      )}
      <NewUser facilities={facilities} feedback={feedback} onCreated={load} />
    </div>
  );
}

function PasswordField({ value, onInput, name }: { value: string; onInput: (v: string) => void; name: string }) {
  const { t } = useI18n();
  return (
    <label>
      {t('admin.user.password')}
      <input
        name={name}
        type="password"
        autoComplete="new-password"
        required
        minLength={minPassword}
        maxLength={1024}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        aria-describedby={`hint-${name}`}
      />
      <small id={`hint-${name}`}>{t('admin.user.password.hint')}</small>
    </label>
  );
}

function ResetPassword({ username, feedback, onDone }: { username: string; feedback: Feedback; onDone: () => void }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const done = await feedback.run(
      () => api<UserAccount>('/users/' + encodeURIComponent(username), { method: 'PATCH', body: { password } }),
      () => t('admin.user.reset.done', { username }),
    );
    if (done) onDone();
  };
  return (
    <form class="admin-form" onSubmit={submit} data-form="reset" aria-labelledby="reset-title">
      <h2 id="reset-title">{t('admin.user.reset.title', { username })}</h2>
      <PasswordField name="reset-password" value={password} onInput={setPassword} />
      <div class="form-buttons">
        <button type="submit" disabled={feedback.busy} data-action="save-password">
          {t('admin.user.reset')}
        </button>
        <button type="button" class="secondary outline" onClick={onDone}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}

function NewUser({ facilities, feedback, onCreated }: { facilities: Facility[]; feedback: Feedback; onCreated: () => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('radiologist');
  const [facility, setFacility] = useState('');
  const [password, setPassword] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    if (password.length < minPassword) {
      feedback.fail({ kind: 'invalid', status: 0, message: t('admin.user.password.short') });
      return;
    }
    const body = { username: username.trim(), role, password, ...(role === 'facility' ? { facility_code: facility } : {}) };
    const created = await feedback.run(
      () => api<UserAccount>('/users', { method: 'POST', body }),
      (u) => t('admin.user.created', { username: u.username }),
    );
    if (created) {
      setUsername('');
      setPassword('');
      onCreated();
    }
  };
  return (
    <form class="admin-form" onSubmit={submit} data-form="user" aria-labelledby="new-user-title">
      <h2 id="new-user-title">{t('admin.user.new')}</h2>
      <div class="grid-form">
        <label>
          {t('admin.user.username')}
          <input
            name="new-username"
            required
            pattern="[a-z0-9_.\-]{2,64}"
            maxLength={64}
            autoComplete="off"
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            aria-describedby="hint-new-username"
          />
          <small id="hint-new-username">{t('admin.user.username.hint')}</small>
        </label>
        <label>
          {t('admin.user.role')}
          <select name="new-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {roles.map((r) => (
              <option value={r} key={r}>
                {t(`role.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        {role === 'facility' && (
          <label>
            {t('admin.user.facility')}
            <select name="new-facility" required value={facility} onChange={(e) => setFacility(e.currentTarget.value)}>
              <option value="">{t('admin.user.facility.choose')}</option>
              {facilities.map((f) => (
                <option value={f.code} key={f.code}>
                  {f.code}: {f.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <PasswordField name="new-password" value={password} onInput={setPassword} />
      </div>
      <button type="submit" disabled={feedback.busy} data-action="create-user">
        {t('admin.user.create')}
      </button>
    </form>
  );
}
