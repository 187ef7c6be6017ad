// One facility's machine tokens (its gateway's STOW-RS credentials): the list, revoked
// ones too; a new one, whose secret the server answers this once, shown with a copy
// button and the warning that it will not be shown again; revoking after a confirmation.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from '../../api/client';
import type { Page } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { AdminProblem, ConfirmButton, FeedbackView, useFeedback } from './Feedback';
import type { MachineToken } from './types';

export function MachineTokens({ code }: { code: string }) {
  const { t, dateTime } = useI18n();
  const base = '/facilities/' + encodeURIComponent(code) + '/machine-tokens';
  const [tokens, setTokens] = useState<MachineToken[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<MachineToken | null>(null);
  const feedback = useFeedback();
  const load = useCallback(async () => {
    try {
      setTokens((await api<Page<MachineToken>>(base)).items);
      setProblem(null);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  }, [base]);
  useEffect(() => {
    load();
  }, [load]);

  const create = async (event: Event) => {
    event.preventDefault();
    const created = await feedback.run(
      () => api<MachineToken>(base, { method: 'POST', body: { name: name.trim() } }),
      () => '',
    );
    if (created) {
      setSecret(created);
      setName('');
      load();
    }
  };
  const revoke = (token: MachineToken) =>
    feedback
      .run(
        () => api<MachineToken>(`${base}/${token.id}`, { method: 'DELETE' }),
        () => t('admin.token.revoked.notice', { name: token.name }),
      )
      .then(load);

  return (
    <section class="admin-form tokens" aria-labelledby="tokens-title" data-tokens={code}>
      <h2 id="tokens-title">{t('admin.token.title', { code })}</h2>
      <p>{t('admin.token.intro')}</p>
      {secret && <SecretOnce token={secret} onDismiss={() => setSecret(null)} />}
      <FeedbackView feedback={feedback} name="tokens" />
      {problem && <AdminProblem problem={problem} onRetry={load} />}
      {tokens && tokens.length === 0 && <p>{t('admin.token.none')}</p>}
      {tokens && tokens.length > 0 && (
        <div class="table-scroll">
          <table class="admin-table striped">
            <thead>
              <tr>
                <th scope="col">{t('admin.token.name')}</th>
                <th scope="col">{t('admin.token.created_at')}</th>
                <th scope="col">{t('admin.token.created_by')}</th>
                <th scope="col">{t('admin.token.last_used')}</th>
                <th scope="col">{t('admin.token.state')}</th>
                <th scope="col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id} data-token={token.id} data-revoked={token.revoked ? 'true' : undefined}>
                  <td>{token.name}</td>
                  <td>{dateTime(token.created_at)}</td>
                  <td>{token.created_by}</td>
                  <td>{dateTime(token.last_used_at)}</td>
                  <td data-field="state">
                    {token.revoked ? t('admin.token.revoked', { time: dateTime(token.revoked_at) }) : t('admin.token.live')}
                  </td>
                  <td>
                    {!token.revoked && (
                      <ConfirmButton
                        label={t('admin.token.revoke')}
                        what={t('admin.token.revoke.what', { name: token.name })}
                        onConfirm={() => revoke(token)}
                        disabled={feedback.busy}
                        action="revoke-token"
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={create} class="inline-form" data-form="token">
        <label>
          {t('admin.token.name')}
          <input name="token-name" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={64} />
        </label>
        <button type="submit" disabled={feedback.busy} data-action="create-token">
          {t('admin.token.create')}
        </button>
      </form>
    </section>
  );
}

// The secret of a token just created: the server never answers it again.
function SecretOnce({ token, onDismiss }: { token: MachineToken; onDismiss: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState('');
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  const copy = async () => {
    field.current?.select();
    try {
      await navigator.clipboard.writeText(token.token ?? '');
      setCopied(t('admin.token.copied'));
    } catch {
      // No clipboard permission (an http origin other than localhost): the field is
      // selected, the user copies it by hand.
      setCopied(t('admin.token.copy_failed'));
    }
  };
  return (
    <article class="secret-once" role="alert" data-secret="token">
      <h3>{t('admin.token.secret.title', { name: token.name })}</h3>
      <p class="secret-warning">
        <strong>{t('admin.token.secret.warning')}</strong>
      </p>
      <label>
        {t('admin.token.secret.label')}
        <input ref={field} readOnly value={token.token} name="token-secret" onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div class="form-buttons">
        <button type="button" onClick={copy} data-action="copy-token">
          {t('admin.token.copy')}
        </button>
        <button type="button" class="secondary outline" onClick={onDismiss} data-action="dismiss-token">
          {t('admin.token.dismiss')}
        </button>
      </div>
      <p aria-live="polite" data-notice="copy">
        {copied}
      </p>
    </article>
  );
}
