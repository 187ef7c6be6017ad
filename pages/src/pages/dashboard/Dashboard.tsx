// The ministry's KPI dashboard (ministry and admin): for a half-year or a range of months
// (kept in the URL), the headline figures, the half-year table against its targets, the
// charts (diagnoses by month and modality, by aimag, turnaround medians by priority,
// e-examinations by month) and the report as CSV. Everything comes from the KPI API's
// aggregates: no patient, study or name is ever asked for or shown.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { problemOf, type Problem } from '../../api/client';
import { ProblemBanner } from '../../components/ProblemBanner';
import { calendarDate } from '../../format';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';
import { Charts } from './Charts';
import { CsvDownload } from './CsvDownload';
import { loadDashboard, type Dashboard as DashboardData } from './kpiData';
import { periodOf, searchOf } from './period';
import { PeriodPicker } from './PeriodPicker';
import { ReportTable } from './ReportTable';

// Closed <details> print nothing: open them all for print (the charts' numbers).
function useDetailsOpenForPrint() {
  useEffect(() => {
    const open = () => document.querySelectorAll<HTMLDetailsElement>('.dashboard details').forEach((d) => (d.open = true));
    window.addEventListener('beforeprint', open);
    return () => window.removeEventListener('beforeprint', open);
  }, []);
}

export function Dashboard() {
  const { t, number, lang } = useI18n();
  const { query, path, route } = useLocation();
  const period = periodOf(query, new Date());
  const search = searchOf(period);
  const [data, setData] = useState<DashboardData | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  useDetailsOpenForPrint();

  useEffect(() => {
    const controller = new AbortController();
    setData(null);
    setProblem(null);
    loadDashboard(period, controller.signal)
      .then((loaded) => {
        setData(loaded);
        performance.mark('telerad:dashboard-shown');
      })
      .catch((error) => {
        if (controller.signal.aborted) return;
        const found = problemOf(error);
        if (found.kind !== 'expired') setProblem(found);
      });
    return () => controller.abort();
  }, [search, attempt]);

  const title = period.kind === 'half' ? period.name : `${period.from} – ${period.to}`;
  const figure = (key: MessageKey, value: number | null | undefined, field: string, unit = '') => (
    <div class="kpi-figure" data-figure={field}>
      <dt>{t(key)}</dt>
      <dd>{value === null || value === undefined ? '—' : number(value) + unit}</dd>
    </div>
  );
  const totals = data?.totals;
  return (
    <section class="dashboard" aria-labelledby="dashboard-title">
      <hgroup>
        <h1 id="dashboard-title">{t('dashboard.title')}</h1>
        <p data-period={title}>{t('dashboard.subtitle', { period: title })}</p>
      </hgroup>
      <PeriodPicker period={period} onChange={(next) => route(path + searchOf(next))} />
      {problem && <ProblemBanner problem={problem} onRetry={retry} />}
      {!data && !problem && <p aria-busy="true">{t('app.loading')}</p>}
      {data && totals && (
        <>
          <dl class="kpi-figures" aria-label={t('dashboard.figures')}>
            {figure('dashboard.diagnoses', totals.diagnoses.total, 'diagnoses')}
            {figure('dashboard.diagnoses_ct', totals.diagnoses.CT, 'diagnoses_ct')}
            {figure('dashboard.diagnoses_xray', totals.diagnoses.XRAY, 'diagnoses_xray')}
            {figure('dashboard.e_examinations', totals.e_examinations?.completed, 'e_examinations')}
            {figure('dashboard.studies_received', totals.studies_received, 'studies_received')}
            {figure('dashboard.turnaround_median', totals.turnaround.all.median_hours, 'turnaround', ' ' + t('dashboard.hours_short'))}
          </dl>
          <p class="kpi-window">
            <small>{t('dashboard.window', { from: calendarDate(data.from, lang), to: calendarDate(data.to, lang) })}</small>
          </p>
          <section aria-labelledby="dashboard-report">
            <h2 id="dashboard-report">{t('dashboard.report')}</h2>
            {data.report ? (
              <>
                <ReportTable report={data.report} />
                <CsvDownload period={data.report.period} />
              </>
            ) : (
              <p class="kpi-no-report">{t('dashboard.report_half_only')}</p>
            )}
          </section>
          <Charts data={data} />
        </>
      )}
    </section>
  );
}
