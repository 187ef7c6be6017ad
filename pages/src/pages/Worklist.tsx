// The radiologist's worklist: the studies the API lists for the filters (most urgent
// first, then by SLA deadline), the studies this radiologist holds on top, claim and
// release, open in the viewer. Refreshed every 20 s while the tab is visible (asked with
// the last answer's ETag: an unchanged list is a bodiless 304) and at once when it becomes visible;
// a failed refresh keeps the list shown and says so, with a retry.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, problemOf, type Problem } from '../api/client';
import type { Page, Study } from '../api/types';
import { FilterForm, type FieldSetter } from '../components/FilterForm';
import { ProblemBanner } from '../components/ProblemBanner';
import { useNow, usePolling, useVisible } from '../hooks';
import { personName } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/mn';
import { useUser } from '../session';
import { StudyTable, type RowActions } from './StudyRow';
import { KeyHelp, KeyHelpButton } from './study/editor/KeyHelp';
import { useKeys } from './study/editor/keys';
import { moveRow, rowAction } from './study/editor/rowKeys';
import { apiQueryOf, filtersOf, modalities, priorities, searchOf, statuses, type WorklistFilters } from './worklistQuery';

const pageSize = 50;
const refreshMs = 20_000;

interface Lists {
  queue: Study[];
  next: string | null;
  mine: Study[];
}

export function Worklist() {
  const { t, time } = useI18n();
  const user = useUser();
  const { query, route } = useLocation();
  const filters = filtersOf(query);
  const search = searchOf(filters);
  const visible = useVisible();
  const now = useNow(1000);
  const [lists, setLists] = useState<Lists | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const shown = useRef(pageSize);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const limit = Math.min(200, Math.max(pageSize, shown.current));
      const [queue, claimed] = await Promise.all([
        api<Page<Study>>(apiQueryOf(filters, limit), { revalidate: true }),
        api<Page<Study>>('/worklist?status=claimed&limit=200', { revalidate: true }),
      ]);
      if (mine !== generation.current) return; // a newer load (other filters) won
      setLists({ queue: queue.items, next: queue.next_cursor, mine: claimed.items.filter((s) => s.claimed_by === user.username) });
      setProblem(null);
      setUpdatedAt(new Date());
      performance.mark('telerad:worklist-shown');
    } catch (error) {
      if (mine !== generation.current) return;
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  }, [search, user.username]);

  useEffect(() => {
    shown.current = pageSize;
    setLists(null);
    load();
  }, [load]);
  usePolling(load, refreshMs, visible);

  const more = async () => {
    if (!lists?.next) return;
    setBusy(true);
    try {
      const page = await api<Page<Study>>(apiQueryOf(filters, pageSize, lists.next));
      const queue = [...lists.queue, ...page.items];
      shown.current = queue.length;
      setLists({ ...lists, queue, next: page.next_cursor });
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  const change = (verb: 'claim' | 'release') => async (study: Study) => {
    setBusy(true);
    setNotice('');
    try {
      await api(`/studies/${encodeURIComponent(study.study_uid)}/${verb}`, { method: 'POST' });
      setNotice(t(verb === 'claim' ? 'action.claimed' : 'action.released', { patient: personName(study.patient.name) || study.patient.id }));
      setProblem(null);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind === 'conflict') setNotice(`${t('action.held_by')} ${found.message ?? ''}`);
      else if (found.kind !== 'expired') setProblem(found);
    }
    await load();
    setBusy(false);
  };
  const actions: RowActions = { claim: user.role === 'radiologist' ? change('claim') : undefined, release: change('release'), busy };
  const [help, setHelp] = useState(false);
  useKeys({
    j: () => moveRow(1),
    arrowdown: () => moveRow(1),
    k: () => moveRow(-1),
    arrowup: () => moveRow(-1),
    enter: () => rowAction('study'),
    c: () => rowAction('claim'),
    '?': () => setHelp(true),
  });

  return (
    <section class="worklist" aria-labelledby="worklist-title">
      <hgroup>
        <h1 id="worklist-title">{t('worklist.title')}</h1>
        <p class="refresh-state">
          {visible ? updatedAt && t('worklist.updated', { time: time(updatedAt) }) : t('worklist.paused')}{' '}
          <button type="button" class="outline secondary small" onClick={load} data-action="refresh">
            {t('worklist.refresh')}
          </button>{' '}
          <KeyHelpButton onOpen={() => setHelp(true)} />
        </p>
      </hgroup>
      <KeyHelp open={help} onClose={() => setHelp(false)} />
      <FilterForm
        filters={filters}
        empty={filtersOf({})}
        onApply={(next) => route('/app/worklist' + searchOf(next))}
        label={t('worklist.filters')}
        fromLabel={t('worklist.from')}
        toLabel={t('worklist.to')}
      >
        {(draft, set) => <WorklistFilterFields draft={draft} set={set} />}
      </FilterForm>
      <p aria-live="polite" class="notice" data-notice="action">
        {notice}
      </p>
      {problem && <ProblemBanner problem={problem} onRetry={load} />}
      {!lists && !problem && <p aria-busy="true">{t('app.loading')}</p>}
      {lists && (
        <>
          {user.role === 'radiologist' && (
            <section aria-labelledby="mine-title" class="mine-section">
              <h2 id="mine-title">{t('worklist.mine')}</h2>
              {lists.mine.length ? (
                <StudyTable studies={lists.mine} now={now} me={user.username} actions={actions} caption={t('worklist.mine')} />
              ) : (
                <p>{t('worklist.mine.none')}</p>
              )}
            </section>
          )}
          <section aria-labelledby="queue-title" data-loaded="true">
            <h2 id="queue-title">
              {t('worklist.queue')} <small>({t(`status.${filters.status}` as MessageKey)})</small>
            </h2>
            {lists.queue.length ? (
              <StudyTable studies={lists.queue} now={now} me={user.username} actions={actions} caption={t('worklist.queue')} />
            ) : (
              <p data-empty="true">{t('worklist.empty')}</p>
            )}
            <p>
              {t('worklist.count', { shown: lists.queue.length })}{' '}
              {lists.next && (
                <button type="button" class="secondary" onClick={more} disabled={busy} data-action="more">
                  {t('worklist.more')}
                </button>
              )}
            </p>
          </section>
        </>
      )}
    </section>
  );
}

function WorklistFilterFields({ draft, set }: { draft: WorklistFilters; set: FieldSetter<WorklistFilters> }) {
  const { t } = useI18n();
  return (
    <>
    <label>
      {t('worklist.status')}
      <select name="status" value={draft.status} onChange={set('status')}>
        {statuses.map((s) => (
          <option value={s} key={s}>
            {t(`status.${s}` as MessageKey)}
          </option>
        ))}
      </select>
    </label>
    <label>
      {t('worklist.modality')}
      <select name="modality" value={draft.modality} onChange={set('modality')}>
        <option value="">{t('worklist.any')}</option>
        {modalities.map((m) => (
          <option value={m} key={m}>
            {t(`modality.${m}` as MessageKey)}
          </option>
        ))}
      </select>
    </label>
    <label>
      {t('worklist.priority')}
      <select name="priority" value={draft.priority} onChange={set('priority')}>
        <option value="">{t('worklist.any')}</option>
        {priorities.map((p) => (
          <option value={p} key={p}>
            {t(`priority.${p}` as MessageKey)}
          </option>
        ))}
      </select>
    </label>
    <label>
      {t('worklist.facility')}
      <input name="facility" value={draft.facility} onInput={set('facility')} maxLength={64} />
    </label>
    </>
  );
}
