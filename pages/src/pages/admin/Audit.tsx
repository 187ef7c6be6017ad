// The audit trail, read-only: filters in the URL, newest first, a page at a time with
// the server's cursor ("show more").
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, problemOf, type Problem } from '../../api/client';
import type { Page, Role } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';
import { FilterForm, type FieldSetter } from '../../components/FilterForm';
import { AdminProblem } from './Feedback';
import { auditApiQuery, auditFiltersOf, auditSearchOf, type AuditFilters } from './auditQuery';
import { roles, type AuditEntry } from './types';

const pageSize = 50;

const outcomes = ['success', 'invalid', 'unauthenticated', 'denied', 'not_found', 'conflict', 'throttled', 'error'];

// The outcome in the page's language; one the pages do not know yet as the server says it.
function outcomeWords(outcome: string, t: (key: MessageKey) => string): string {
  return outcomes.includes(outcome) ? t(`admin.audit.outcome.${outcome}` as MessageKey) : outcome;
}

export function Audit() {
  const { t, dateTime, number } = useI18n();
  const { query, route } = useLocation();
  const filters = auditFiltersOf(query);
  const search = auditSearchOf(filters);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    setEntries(null);
    try {
      const page = await api<Page<AuditEntry>>(auditApiQuery(filters, pageSize));
      if (mine !== generation.current) return;
      setEntries(page.items);
      setNext(page.next_cursor);
      setProblem(null);
    } catch (error) {
      if (mine !== generation.current) return;
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  }, [search]);
  useEffect(() => {
    load();
  }, [load]);

  const more = async () => {
    if (!next || !entries) return;
    setBusy(true);
    try {
      const page = await api<Page<AuditEntry>>(auditApiQuery(filters, pageSize, next));
      setEntries([...entries, ...page.items]);
      setNext(page.next_cursor);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="admin-section" data-section="audit">
      <h2>{t('admin.audit')}</h2>
      <p>
        <small>{t('admin.audit.readonly')}</small>
      </p>
      <FilterForm
        filters={filters}
        empty={auditFiltersOf({})}
        onApply={(f) => route('/app/admin/audit' + auditSearchOf(f))}
        label={t('admin.audit.filters')}
        fromLabel={t('admin.audit.from')}
        toLabel={t('admin.audit.to')}
        form="audit"
      >
        {(draft, set) => <AuditFilterFields draft={draft} set={set} />}
      </FilterForm>
      {problem && <AdminProblem problem={problem} onRetry={load} />}
      {!entries && !problem && <p aria-busy="true">{t('app.loading')}</p>}
      {entries && (
        <div class="table-scroll" data-loaded="audit">
          {entries.length === 0 ? (
            <p data-empty="true">{t('admin.audit.empty')}</p>
          ) : (
            <table class="admin-table striped audit-table">
              <thead>
                <tr>
                  <th scope="col">{t('admin.audit.at')}</th>
                  <th scope="col">{t('admin.audit.username')}</th>
                  <th scope="col">{t('admin.audit.action')}</th>
                  <th scope="col">{t('admin.audit.object')}</th>
                  <th scope="col">{t('admin.audit.address')}</th>
                  <th scope="col">{t('admin.audit.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e, i) => (
                  <tr key={i} data-action={e.action} data-outcome={e.outcome}>
                    <td>
                      <time dateTime={e.at}>{dateTime(e.at)}</time>
                    </td>
                    <td>
                      {e.username}
                      {e.role && <small class="muted"> ({roles.includes(e.role as Role) ? t(`role.${e.role}` as MessageKey) : e.role})</small>}
                    </td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td class="wrap" data-field="object">
                      {e.object_type}
                      {e.object_id && (
                        <>
                          {' '}
                          <code>{e.object_id}</code>
                        </>
                      )}
                    </td>
                    <td>{e.remote_addr}</td>
                    <td class={e.outcome === 'success' ? '' : 'outcome-bad'}>{outcomeWords(e.outcome, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>
            {t('admin.count', { shown: number(entries.length) })}{' '}
            {next && (
              <button type="button" class="secondary" onClick={more} disabled={busy} data-action="more">
                {t('admin.more')}
              </button>
            )}
          </p>
        </div>
      )}
    </div>
  );
}

function AuditFilterFields({ draft, set }: { draft: AuditFilters; set: FieldSetter<AuditFilters> }) {
  const { t } = useI18n();
  return (
    <>
    <label>
      {t('admin.audit.username')}
      <input name="username" value={draft.username} onInput={set('username')} maxLength={64} />
    </label>
    <label>
      {t('admin.audit.action')}
      <input name="action" value={draft.action} onInput={set('action')} maxLength={64} placeholder={t('admin.audit.action.hint')} />
    </label>
    <label>
      {t('admin.audit.object_id')}
      <input name="object_id" value={draft.object_id} onInput={set('object_id')} maxLength={128} />
    </label>
    </>
  );
}
