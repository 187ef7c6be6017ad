// The dashboard's period, kept in the page's URL (a reload or a shared link shows the
// same figures): a half-year, the ministry's reporting unit (?period=2025H1), or a range
// of whole months (?from=2025-01&to=2025-03). Turned into the API's window (API.md,
// GET /kpi: period= or from=/to= as local days).

export type DashboardPeriod = { kind: 'half'; name: string } | { kind: 'months'; from: string; to: string }; // from/to: YYYY-MM

const halfPattern = /^(\d{4})H([12])$/;
const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

// The last half-year that has ended on `today`: the one a ministry report is made of.
export function lastEndedHalf(today: Date): string {
  const year = today.getFullYear();
  return today.getMonth() < 6 ? `${year - 1}H2` : `${year}H1`;
}

// Half-years from 2024H1 (before telerad there were no figures) to the current one,
// newest first; `keep` stays listed even when outside (a link from elsewhere).
export function halfYears(today: Date, keep?: string): string[] {
  const names: string[] = [];
  const current = today.getFullYear() * 2 + (today.getMonth() < 6 ? 0 : 1);
  for (let i = current; i >= 2024 * 2; i--) names.push(`${Math.floor(i / 2)}H${(i % 2) + 1}`);
  if (keep && !names.includes(keep)) names.push(keep);
  return names;
}

export function periodOf(query: Record<string, string>, today: Date): DashboardPeriod {
  if (monthPattern.test(query.from ?? '') && monthPattern.test(query.to ?? '')) {
    const [from, to] = query.from <= query.to ? [query.from, query.to] : [query.to, query.from];
    return { kind: 'months', from, to };
  }
  if (halfPattern.test(query.period ?? '')) return { kind: 'half', name: query.period };
  return { kind: 'half', name: lastEndedHalf(today) };
}

export function searchOf(period: DashboardPeriod): string {
  return period.kind === 'half' ? `?period=${period.name}` : `?from=${period.from}&to=${period.to}`;
}

// The first and last month of the period, YYYY-MM.
export function monthBounds(period: DashboardPeriod): [string, string] {
  if (period.kind === 'months') return [period.from, period.to];
  const [, year, half] = halfPattern.exec(period.name) ?? [];
  return half === '1' ? [`${year}-01`, `${year}-06`] : [`${year}-07`, `${year}-12`];
}

// Every month of the period, in order (the charts' axis: a month without figures is a 0,
// not a gap).
export function monthsOf(period: DashboardPeriod): string[] {
  const [first, last] = monthBounds(period);
  const months: string[] = [];
  let [year, month] = first.split('-').map(Number);
  while (months.length < 240) {
    const name = `${year}-${String(month).padStart(2, '0')}`;
    months.push(name);
    if (name >= last) break;
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}

// The API's window: period=2025H1, or from/to as the first and last local day.
export function apiWindowOf(period: DashboardPeriod): string {
  if (period.kind === 'half') return `period=${period.name}`;
  const [year, month] = period.to.split('-').map(Number);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `from=${period.from}-01&to=${period.to}-${String(lastDay).padStart(2, '0')}`;
}
