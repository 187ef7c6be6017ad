// The dashboard's four charts, each with its caption and its numbers as a table:
// diagnoses by month and modality class (stacked), e-examinations by month, diagnoses by
// aimag, turnaround medians (and 90th percentiles) by priority.
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';
import { KpiChart, type Series } from './KpiChart';
import { modalityClasses, priorities, type Dashboard } from './kpiData';

const modalityColor = { CT: '#1d5fa8', XRAY: '#d9822b', OTHER: '#7b8794' };
const englishMonth = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

export function Charts({ data }: { data: Dashboard }) {
  const { t, lang } = useI18n();
  // CLDR mn's short year-month, y.MM (chromium's Intl has no Mongolian; see i18n.tsx).
  const monthLabel = (month: string) => {
    const [year, m] = month.split('-');
    return lang === 'mn' ? `${year}.${m}` : englishMonth.format(new Date(Date.UTC(+year, +m - 1, 1)));
  };
  const months = data.months.map(monthLabel);
  const diagnosesSeries: Series[] = modalityClasses
    .filter((m) => m !== 'OTHER' || data.diagnosesByMonth.OTHER.some((v) => v > 0))
    .map((m) => ({ label: t(`modality.${m}` as MessageKey), values: data.diagnosesByMonth[m], color: modalityColor[m] }));
  const turnaround = data.totals.turnaround;
  return (
    <section aria-labelledby="dashboard-charts" class="kpi-charts">
      <h2 id="dashboard-charts">{t('dashboard.charts')}</h2>
      <KpiChart
        id="diagnoses-month"
        caption={t('dashboard.chart.diagnoses_month')}
        categoryHeading={t('dashboard.month')}
        labels={months}
        series={diagnosesSeries}
        stacked
      />
      <KpiChart
        id="e-examinations-month"
        caption={t('dashboard.chart.e_examinations')}
        categoryHeading={t('dashboard.month')}
        labels={months}
        series={[{ label: t('dashboard.e_examinations'), values: data.eExamsByMonth, color: '#2f855a' }]}
      />
      <KpiChart
        id="diagnoses-aimag"
        caption={t('dashboard.chart.diagnoses_aimag')}
        categoryHeading={t('dashboard.aimag')}
        labels={data.diagnosesByAimag.map((row) => row.aimag)}
        series={[{ label: t('dashboard.diagnoses'), values: data.diagnosesByAimag.map((row) => row.diagnoses), color: modalityColor.CT }]}
        horizontal
      />
      <KpiChart
        id="turnaround-priority"
        caption={t('dashboard.chart.turnaround')}
        categoryHeading={t('dashboard.priority')}
        labels={priorities.map((p) => t(`priority.${p}` as MessageKey))}
        series={[
          { label: t('dashboard.median'), values: priorities.map((p) => turnaround[p].median_hours), color: '#1d5fa8' },
          { label: t('dashboard.p90'), values: priorities.map((p) => turnaround[p].p90_hours), color: '#9bb7d9' },
        ]}
        unit={t('dashboard.hours_short')}
      />
    </section>
  );
}
