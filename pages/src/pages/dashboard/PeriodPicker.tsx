// The dashboard's period: a half-year from a list (applied at once), or a range of whole
// months (applied with its button, so that typing the first month does not load a
// window nobody asked for).
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/i18n';
import { halfYears, monthBounds, type DashboardPeriod } from './period';

const isMonth = (value: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

export function PeriodPicker({ period, onChange }: { period: DashboardPeriod; onChange(next: DashboardPeriod): void }) {
  const { t } = useI18n();
  const [bounds, setBounds] = useState(() => monthBounds(period));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => setBounds(monthBounds(period)), [period.kind === 'half' ? period.name : period.from + period.to]);
  const halves = halfYears(new Date(), period.kind === 'half' ? period.name : undefined);

  const applyMonths = (event: Event) => {
    event.preventDefault();
    const [from, to] = bounds;
    if (!isMonth(from) || !isMonth(to)) return setInvalid(true);
    setInvalid(false);
    onChange({ kind: 'months', from: from <= to ? from : to, to: from <= to ? to : from });
  };

  return (
    <div class="kpi-period">
      <label>
        {t('dashboard.half_year')}
        <select
          name="period"
          value={period.kind === 'half' ? period.name : ''}
          onChange={(e) => {
            const name = (e.target as HTMLSelectElement).value;
            if (name) onChange({ kind: 'half', name });
          }}
        >
          {period.kind === 'months' && <option value="">{t('dashboard.months_chosen')}</option>}
          {halves.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <form class="kpi-months" onSubmit={applyMonths} aria-label={t('dashboard.month_range')}>
        <label>
          {t('dashboard.from_month')}
          <input type="month" name="from" value={bounds[0]} placeholder="2025-01" aria-invalid={invalid || undefined} onInput={(e) => setBounds([(e.target as HTMLInputElement).value, bounds[1]])} />
        </label>
        <label>
          {t('dashboard.to_month')}
          <input type="month" name="to" value={bounds[1]} placeholder="2025-06" aria-invalid={invalid || undefined} onInput={(e) => setBounds([bounds[0], (e.target as HTMLInputElement).value])} />
        </label>
        <button type="submit" class="secondary">
          {t('dashboard.show_months')}
        </button>
      </form>
      {invalid && (
        <p class="kpi-invalid" role="alert">
          {t('dashboard.month_invalid')}
        </p>
      )}
    </div>
  );
}
