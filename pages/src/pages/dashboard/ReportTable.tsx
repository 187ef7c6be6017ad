// The ministry's half-year table (GET /kpi/report): indicator, baseline, target, achieved
// and the percent of the target fulfilled, drawn as a bar with its number beside it.
// Labels in the page's language; numbers in its format.
import { useI18n } from '../../i18n/i18n';
import type { KpiReport, KpiReportRow } from './kpiData';

export function ReportTable({ report }: { report: KpiReport }) {
  const { t, lang, number } = useI18n();
  const unit = (row: KpiReportRow) => (row.unit === 'hours' ? ' ' + t('dashboard.hours_short') : row.unit === 'percent' ? ' %' : '');
  const figure = (row: KpiReportRow, value: number | null) => (value === null ? '—' : number(value) + unit(row));
  return (
    <div class="kpi-table-scroll">
      <table class="kpi-report" data-report={report.period}>
        <caption>{t('dashboard.report_caption', { period: report.period })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.indicator')}</th>
            <th scope="col" class="num">
              {t('dashboard.baseline')}
            </th>
            <th scope="col" class="num">
              {t('dashboard.target')}
            </th>
            <th scope="col" class="num">
              {t('dashboard.achieved')}
            </th>
            <th scope="col">{t('dashboard.percent')}</th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row) => (
            <tr key={row.indicator} data-indicator={row.indicator} class={row.indicator.startsWith('image_diagnoses_') ? 'kpi-sub' : undefined}>
              <th scope="row">
                {lang === 'mn' ? row.label_mn : row.label_en}
                {row.target_period && row.target_period !== report.period && (
                  <small class="kpi-target-period"> {t('dashboard.target_of', { period: row.target_period })}</small>
                )}
              </th>
              <td class="num" data-field="baseline">
                {figure(row, row.baseline)}
              </td>
              <td class="num" data-field="target">
                {figure(row, row.target)}
              </td>
              <td class="num" data-field="achieved">
                {figure(row, row.achieved)}
              </td>
              <td data-field="percent">
                {row.percent === null ? (
                  <span class="kpi-no-target">{t('dashboard.no_target')}</span>
                ) : (
                  <span class="kpi-percent">
                    <progress value={Math.min(row.percent, 100)} max={100} aria-label={t('dashboard.percent_of', { indicator: lang === 'mn' ? row.label_mn : row.label_en })} />
                    <span class={row.percent >= 100 ? 'kpi-met' : undefined}>{number(row.percent)} %</span>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
