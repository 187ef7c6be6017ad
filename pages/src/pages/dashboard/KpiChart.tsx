// One chart of the dashboard: a caption, a bar chart drawn by Chart.js (loaded on first
// use, see chartSetup.ts), and the same numbers as a table in a <details> for screen
// readers, for print (Dashboard opens every <details> before printing) and for anyone
// who wants the figures rather than the picture.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Chart as ChartType } from 'chart.js';
import { useI18n } from '../../i18n/i18n';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

interface Props {
  id: string; // data-chart, for tests and print
  caption: string;
  labels: string[]; // the categories (months, aimags, priorities)
  series: Series[];
  stacked?: boolean;
  horizontal?: boolean;
  unit?: string; // appended to the table's numbers ("h")
  categoryHeading: string;
}

export function KpiChart({ id, caption, labels, series, stacked, horizontal, unit, categoryHeading }: Props) {
  const { t, number, lang } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  const data = JSON.stringify([labels, series, lang]);

  useEffect(() => {
    let chart: ChartType | null = null;
    let cancelled = false;
    import('./chartSetup')
      .then(({ Chart }) => {
        if (cancelled || !canvas.current) return;
        chart = new Chart(canvas.current, {
          type: 'bar',
          data: {
            labels,
            datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color, borderWidth: 0 })),
          },
          options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            indexAxis: horizontal ? 'y' : 'x',
            locale: lang === 'mn' ? 'mn-MN' : 'en-GB',
            scales: { x: { stacked: !!stacked }, y: { stacked: !!stacked, beginAtZero: true } },
            plugins: { legend: { display: series.length > 1, position: 'bottom' } },
          },
        });
        canvas.current.dataset.drawn = 'true';
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [data, stacked, horizontal]);

  const cell = (value: number | null) => (value === null ? '—' : number(value) + (unit ? ' ' + unit : ''));
  const height = horizontal ? Math.max(12, labels.length * 1.6 + 4) + 'rem' : undefined;
  return (
    <figure class="kpi-chart" data-chart={id}>
      <figcaption id={`chart-${id}`}>{caption}</figcaption>
      {failed ? (
        <p class="kpi-chart-failed">{t('dashboard.chart_failed')}</p>
      ) : (
        <div class="kpi-chart-canvas" style={height ? { height } : undefined}>
          <canvas ref={canvas} role="img" aria-labelledby={`chart-${id}`} />
        </div>
      )}
      <details>
        <summary>{t('dashboard.chart_numbers')}</summary>
        <div class="kpi-table-scroll">
          <table class="striped kpi-chart-table">
            <thead>
              <tr>
                <th scope="col">{categoryHeading}</th>
                {series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {labels.map((label, row) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {series.map((s) => (
                    <td key={s.label} data-value={s.values[row] ?? ''}>
                      {cell(s.values[row])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
