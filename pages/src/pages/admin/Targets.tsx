// The KPI baselines and targets the ministry's dashboard measures against: per period
// and indicator, set (a PUT replaces) and delete (asked first).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { AdminTable } from './AdminTable';
import { ConfirmButton, FeedbackView, useFeedback } from './Feedback';
import { indicators, type KpiTarget } from './types';

const numberOrNull = (text: string) => (text.trim() === '' ? null : Number(text));

export function Targets() {
  const { t, dateTime, number } = useI18n();
  const [targets, setTargets] = useState<KpiTarget[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [draft, setDraft] = useState({ period: '', indicator: indicators[0], baseline: '', target: '' });
  const feedback = useFeedback();
  const load = useCallback(async () => {
    try {
      setTargets((await api<{ items: KpiTarget[] }>('/kpi/targets')).items);
      setProblem(null);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  }, []);
  useEffect(() => {
    load();
  }, [load]);
  const path = (period: string, indicator: string) => `/kpi/targets/${encodeURIComponent(period)}/${encodeURIComponent(indicator)}`;

  const save = async (event: Event) => {
    event.preventDefault();
    const period = draft.period.trim();
    const saved = await feedback.run(
      () =>
        api<KpiTarget>(path(period, draft.indicator), {
          method: 'PUT',
          body: { baseline: numberOrNull(draft.baseline), target: numberOrNull(draft.target) },
        }),
      () => t('admin.target.saved', { period, indicator: draft.indicator }),
    );
    if (saved) load();
  };
  const remove = (target: KpiTarget) =>
    feedback
      .run(
        () => api(path(target.period, target.indicator), { method: 'DELETE' }),
        () => t('admin.target.deleted', { period: target.period, indicator: target.indicator }),
      )
      .then(load);
  const edit = (target: KpiTarget) =>
    setDraft({
      period: target.period,
      indicator: target.indicator,
      baseline: target.baseline === null ? '' : String(target.baseline),
      target: target.target === null ? '' : String(target.target),
    });
  const shown = (value: number | null) => (value === null ? '—' : number(value));
  const sorted = [...(targets ?? [])].sort((a, b) => b.period.localeCompare(a.period) || a.indicator.localeCompare(b.indicator));

  return (
    <div class="admin-section" data-section="targets">
      <h2>{t('admin.target.list')}</h2>
      <FeedbackView feedback={feedback} name="targets" />
      <AdminTable
        name="targets"
        loaded={targets !== null}
        problem={problem}
        onRetry={load}
        columns={['admin.target.period', 'admin.target.indicator', 'admin.target.baseline', 'admin.target.target', 'admin.target.updated', 'admin.actions']}
        empty={targets?.length === 0}
      >
        {sorted.map((target) => (
          <tr key={target.period + '/' + target.indicator} data-target={target.period + '/' + target.indicator}>
            <td>{target.period}</td>
            <td>
              <code>{target.indicator}</code>
            </td>
            <td class="number">{shown(target.baseline)}</td>
            <td class="number">{shown(target.target)}</td>
            <td>
              {target.updated_by} <small class="muted">{dateTime(target.updated_at)}</small>
            </td>
            <td class="row-actions">
              <button type="button" class="secondary outline small" onClick={() => edit(target)} data-action="edit-target">
                {t('admin.edit')}
              </button>{' '}
              <ConfirmButton
                label={t('admin.delete')}
                what={t('admin.target.delete.what', { period: target.period, indicator: target.indicator })}
                onConfirm={() => remove(target)}
                disabled={feedback.busy}
                action="delete-target"
              />
            </td>
          </tr>
        ))}
      </AdminTable>
      <form class="admin-form" onSubmit={save} data-form="target" aria-labelledby="target-form-title">
        <h2 id="target-form-title">{t('admin.target.new')}</h2>
        <div class="grid-form">
          <label>
            {t('admin.target.period')}
            <input
              name="period"
              required
              maxLength={16}
              placeholder={t('admin.target.period.hint')}
              value={draft.period}
              onInput={(e) => setDraft({ ...draft, period: e.currentTarget.value })}
            />
          </label>
          <label>
            {t('admin.target.indicator')}
            <select name="indicator" value={draft.indicator} onChange={(e) => setDraft({ ...draft, indicator: e.currentTarget.value })}>
              {indicators.map((i) => (
                <option value={i} key={i}>
                  {i}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('admin.target.baseline')}
            <input name="baseline" type="number" step="any" value={draft.baseline} onInput={(e) => setDraft({ ...draft, baseline: e.currentTarget.value })} />
          </label>
          <label>
            {t('admin.target.target')}
            <input name="target" type="number" step="any" value={draft.target} onInput={(e) => setDraft({ ...draft, target: e.currentTarget.value })} />
          </label>
        </div>
        <button type="submit" disabled={feedback.busy} data-action="save-target">
          {t('admin.save')}
        </button>
      </form>
    </div>
  );
}
