// The facility's inbox: the studies it sent (the API answers a facility user its own
// studies only), their status and priority, when they came and when they were
// reported. A critical finding stays on top until a user of the facility acknowledges
// it (the API orders them first; the page marks them and offers the acknowledgement).
// Refreshed every 20 s while the tab is visible, like the worklist.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, problemOf, type Problem } from '../api/client';
import type { Page, Study } from '../api/types';
import { FilterForm, type FieldSetter } from '../components/FilterForm';
import { ProblemBanner } from '../components/ProblemBanner';
import { personName } from '../format';
import { usePolling, useVisible } from '../hooks';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/mn';
import { inboxApiQueryOf, inboxFiltersOf, inboxSearchOf, type InboxFilters } from './inboxQuery';
import { StudyRequestForm } from './StudyRequestForm';
import { statuses } from './worklistQuery';

const pageSize = 50;
const refreshMs = 20_000;
const changeable = (study: Study) => study.status === 'receiving' || study.status === 'ready' || study.status === 'claimed';

export function Inbox() {
  const { t, time } = useI18n();
  const { query, route } = useLocation();
  const filters = inboxFiltersOf(query);
  const search = inboxSearchOf(filters);
  const visible = useVisible();
  const [studies, setStudies] = useState<Study[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const shown = useRef(pageSize);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const page = await api<Page<Study>>(inboxApiQueryOf(filters, Math.min(200, Math.max(pageSize, shown.current))), {
        revalidate: true,
      });
      if (mine !== generation.current) return;
      setStudies(page.items);
      setNext(page.next_cursor);
      setProblem(null);
      setUpdatedAt(new Date());
    } catch (error) {
      if (mine !== generation.current) return;
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  }, [search]);

  useEffect(() => {
    shown.current = pageSize;
    setStudies(null);
    load();
  }, [load]);
  usePolling(load, refreshMs, visible && editing === null);

  const more = async () => {
    if (!studies || !next) return;
    setBusy(true);
    try {
      const page = await api<Page<Study>>(inboxApiQueryOf(filters, pageSize, next));
      const all = [...studies, ...page.items];
      shown.current = all.length;
      setStudies(all);
      setNext(page.next_cursor);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  const patientOf = (study: Study) => personName(study.patient.name) || study.patient.id;
  const acknowledge = async (study: Study) => {
    setBusy(true);
    setNotice('');
    try {
      await api(`/studies/${encodeURIComponent(study.study_uid)}/report/acknowledge`, { method: 'POST' });
      setNotice(t('inbox.acknowledged', { patient: patientOf(study) }));
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
    await load();
    setBusy(false);
  };
  const saved = (study: Study) => {
    setEditing(null);
    setNotice(
      t('inbox.edit.saved', { patient: patientOf(study), priority: t(`priority.${study.priority}` as MessageKey) }),
    );
    load();
  };

  return (
    <section class="inbox" aria-labelledby="inbox-title">
      <hgroup>
        <h1 id="inbox-title">{t('inbox.title')}</h1>
        <p class="refresh-state">
          {visible ? updatedAt && t('worklist.updated', { time: time(updatedAt) }) : t('worklist.paused')}{' '}
          <button type="button" class="outline secondary small" onClick={load} data-action="refresh">
            {t('worklist.refresh')}
          </button>
        </p>
      </hgroup>
      <FilterForm
        filters={filters}
        empty={inboxFiltersOf({})}
        onApply={(f) => route('/app/inbox' + inboxSearchOf(f))}
        label={t('worklist.filters')}
        fromLabel={t('worklist.from')}
        toLabel={t('worklist.to')}
      >
        {(draft, set) => <InboxFilterFields draft={draft} set={set} />}
      </FilterForm>
      <p aria-live="polite" class="notice" data-notice="action">
        {notice}
      </p>
      {problem && <ProblemBanner problem={problem} onRetry={load} />}
      {!studies && !problem && <p aria-busy="true">{t('app.loading')}</p>}
      {studies && (
        <section aria-labelledby="inbox-list-title" data-loaded="true">
          <h2 id="inbox-list-title" class="visually-hidden">
            {t('inbox.title')}
          </h2>
          {studies.length ? (
            <div class="overflow-auto">
              <table class="striped worklist-table inbox-table">
                <caption class="visually-hidden">{t('inbox.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('col.priority')}</th>
                    <th scope="col">{t('col.patient')}</th>
                    <th scope="col">{t('col.study')}</th>
                    <th scope="col">{t('worklist.status')}</th>
                    <th scope="col" class="col-received">
                      {t('col.received')}
                    </th>
                    <th scope="col">{t('col.reported')}</th>
                    <th scope="col">{t('col.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {studies.map((study) => (
                    <InboxRow
                      key={study.study_uid}
                      study={study}
                      busy={busy}
                      editing={editing === study.study_uid}
                      onAcknowledge={() => acknowledge(study)}
                      onEdit={() => setEditing(study.study_uid)}
                      onSaved={saved}
                      onCancel={() => setEditing(null)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p data-empty="true">{t('worklist.empty')}</p>
          )}
          <p>
            {t('worklist.count', { shown: studies.length })}{' '}
            {next && (
              <button type="button" class="secondary" onClick={more} disabled={busy} data-action="more">
                {t('worklist.more')}
              </button>
            )}
          </p>
        </section>
      )}
    </section>
  );
}

interface InboxRowProps {
  study: Study;
  busy: boolean;
  editing: boolean;
  onAcknowledge: () => void;
  onEdit: () => void;
  onSaved: (study: Study) => void;
  onCancel: () => void;
}

function InboxRow({ study, busy, editing, onAcknowledge, onEdit, onSaved, onCancel }: InboxRowProps) {
  const { t, dateTime } = useI18n();
  const critical = !!study.critical_pending;
  return (
    <>
      <tr class={`priority-${study.priority}${critical ? ' critical' : ''}`} data-study={study.study_uid} data-critical={critical ? 'pending' : undefined}>
        <td>
          {critical && <span class="badge badge-critical">{t('inbox.critical')}</span>}{' '}
          <span class={`badge badge-${study.priority}`}>{t(`priority.${study.priority}` as MessageKey)}</span>
        </td>
        <td>
          <strong>{personName(study.patient.name) || '—'}</strong>
          <br />
          <small>{study.patient.id}</small>
        </td>
        <td>
          {t(`modality.${study.modality_class}` as MessageKey)}
          {study.description && <> · {study.description}</>}
          {study.clinical_info && (
            <>
              <br />
              <small data-field="clinical_info">
                {t('inbox.clinical')}: {study.clinical_info}
              </small>
            </>
          )}
        </td>
        <td data-field="status">{t(`status.${study.status}` as MessageKey)}</td>
        <td class="col-received">
          <time dateTime={study.received_at}>{dateTime(study.received_at)}</time>
        </td>
        <td>{study.reported_at ? <time dateTime={study.reported_at}>{dateTime(study.reported_at)}</time> : '—'}</td>
        <td class="actions">
          {critical && (
            <button type="button" disabled={busy} onClick={onAcknowledge} data-action="acknowledge">
              {t('inbox.acknowledge')}
            </button>
          )}
          {study.status === 'reported' && (
            <a href={`/app/reports/${encodeURIComponent(study.study_uid)}`} role="button" class="outline" data-action="report">
              {t('inbox.report')}
            </a>
          )}
          {changeable(study) && !editing && (
            <button type="button" class="secondary outline" disabled={busy} onClick={onEdit} data-action="edit">
              {t('inbox.edit')}
            </button>
          )}
        </td>
      </tr>
      {editing && (
        <tr class="request-row">
          <td colSpan={7}>
            <StudyRequestForm study={study} onSaved={onSaved} onCancel={onCancel} />
          </td>
        </tr>
      )}
    </>
  );
}

function InboxFilterFields({ draft, set }: { draft: InboxFilters; set: FieldSetter<InboxFilters> }) {
  const { t } = useI18n();
  return (
    <label>
      {t('worklist.status')}
      <select name="status" value={draft.status} onChange={set('status')}>
        <option value="">{t('worklist.any')}</option>
        {statuses.map((s) => (
          <option value={s} key={s}>
            {t(`status.${s}` as MessageKey)}
          </option>
        ))}
      </select>
    </label>
  );
}
