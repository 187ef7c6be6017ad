// What the dashboard asks of the KPI API (API.md, GET /kpi and GET /kpi/report; aggregates
// only, never a patient) and the series its charts draw, derived from the answers.
import { api } from '../../api/client';
import { apiWindowOf, monthsOf, type DashboardPeriod } from './period';

export type ModalityClass = 'CT' | 'XRAY' | 'OTHER';
export const modalityClasses: ModalityClass[] = ['CT', 'XRAY', 'OTHER'];
export type Priority = 'stat' | 'urgent' | 'routine';
export const priorities: Priority[] = ['stat', 'urgent', 'routine'];

interface Turnaround {
  signed: number;
  median_hours: number | null;
  p90_hours: number | null;
}

export interface KpiFigures {
  studies_received: number;
  diagnoses: { total: number } & Record<ModalityClass, number>;
  e_examinations?: { booked: number; completed: number; cancelled: number; no_show: number };
  turnaround: Record<'all' | Priority, Turnaround>;
  month?: string;
  aimag?: string;
  modality_class?: ModalityClass;
}

interface KpiAnswer {
  from: string;
  to: string;
  totals: KpiFigures;
  groups: KpiFigures[];
}

export interface KpiReportRow {
  indicator: string;
  label_mn: string;
  label_en: string;
  unit: string; // count, hours, percent
  baseline: number | null;
  target: number | null;
  achieved: number | null;
  percent: number | null;
  target_period: string | null;
}

export interface KpiReport {
  period: string;
  rows: KpiReportRow[];
}

export interface Dashboard {
  from: string; // the window's first and last local day, as the server took them
  to: string;
  totals: KpiFigures;
  report: KpiReport | null; // half-years only: targets are set per half-year or year
  months: string[];
  diagnosesByMonth: Record<ModalityClass, number[]>; // per month, per modality class
  diagnosesByAimag: { aimag: string; diagnoses: number }[]; // most first
  eExamsByMonth: number[];
}

export async function loadDashboard(period: DashboardPeriod, signal: AbortSignal): Promise<Dashboard> {
  const window = apiWindowOf(period);
  const [byMonth, byMonthModality, byAimag, report] = await Promise.all([
    api<KpiAnswer>(`/kpi?${window}&group_by=month`, { signal }),
    api<KpiAnswer>(`/kpi?${window}&group_by=month,modality`, { signal }),
    api<KpiAnswer>(`/kpi?${window}&group_by=aimag`, { signal }),
    period.kind === 'half' ? api<KpiReport>(`/kpi/report?period=${period.name}`, { signal }) : Promise.resolve(null),
  ]);
  const months = monthsOf(period);
  const diagnosesByMonth = Object.fromEntries(modalityClasses.map((m) => [m, months.map(() => 0)])) as Record<ModalityClass, number[]>;
  for (const group of byMonthModality.groups) {
    const at = months.indexOf(group.month ?? '');
    if (at >= 0 && group.modality_class) diagnosesByMonth[group.modality_class][at] += group.diagnoses.total;
  }
  const eExamsByMonth = months.map(() => 0);
  for (const group of byMonth.groups) {
    const at = months.indexOf(group.month ?? '');
    if (at >= 0) eExamsByMonth[at] += group.e_examinations?.completed ?? 0;
  }
  const diagnosesByAimag = byAimag.groups
    .map((group) => ({ aimag: group.aimag || '—', diagnoses: group.diagnoses.total }))
    .filter((row) => row.diagnoses > 0)
    .sort((a, b) => b.diagnoses - a.diagnoses || a.aimag.localeCompare(b.aimag));
  return { from: byMonth.from, to: byMonth.to, totals: byMonth.totals, report, months, diagnosesByMonth, diagnosesByAimag, eExamsByMonth };
}
