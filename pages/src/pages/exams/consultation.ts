// The e-examination (consultation) as the REST API answers it (API.md, api/openapi.yaml
// "Consultation"), the specialties the online hospital offers, and the slot's time in
// Ulaanbaatar: a datetime-local input has no zone, so its value is read and written as
// Ulaanbaatar's wall clock (UTC+08:00 all year: Mongolia keeps no summer time since 2017).
import type { MessageKey } from '../../i18n/mn';

export type ConsultationStatus = 'requested' | 'accepted' | 'completed' | 'cancelled' | 'no_show';

export interface Consultation {
  id: number;
  facility: { code: string; name: string; aimag: string };
  patient: { id: string; name: string; birth_date: string | null; sex: string };
  specialty: string;
  reason: string;
  requested_at: string;
  status: ConsultationStatus;
  slot_at: string | null;
  specialist: string | null;
  conclusion: string;
  icd_codes: string[];
  cancel_reason: string;
  version: number;
  created_at: string;
  accepted_at: string | null;
  completed_at: string | null;
  closed_at: string | null;
}

// The online hospital's specialties (the demo's); the API stores them lower-case.
export const specialties = [
  'cardiology',
  'endocrinology',
  'gastroenterology',
  'neurology',
  'paediatrics',
  'pulmonology',
  'rheumatology',
] as const;

// A specialty in words; one the pages do not know is shown as the API spells it.
export function specialtyLabel(t: (key: MessageKey) => string, specialty: string): string {
  return (specialties as readonly string[]).includes(specialty) ? t(`exams.specialty.${specialty}` as MessageKey) : specialty;
}

const ulaanbaatarOffset = '+08:00';
const offsetMs = 8 * 3600_000;

// "2026-12-02T10:30" (an input's value, Ulaanbaatar time) as RFC 3339, or null when the
// text is not a date and time.
export function ulaanbaatarInputToRfc3339(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const iso = `${value}:00${ulaanbaatarOffset}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

// An instant as a datetime-local input's value in Ulaanbaatar time.
export function ulaanbaatarInputOf(date: Date): string {
  return new Date(date.getTime() + offsetMs).toISOString().slice(0, 16);
}

// The next whole hour from `now` (a sensible first value for a time the user picks).
export function nextWholeHour(now: Date): Date {
  const next = new Date(now.getTime() + 3600_000);
  next.setUTCMinutes(0, 0, 0);
  return next;
}
