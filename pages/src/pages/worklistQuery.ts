// The worklist's filters, kept in the page's URL (so a reload, a shared link or a new
// sign-in after an expired session shows the same list) and turned into the API's query.
import type { ModalityClass, Priority, StudyStatus } from '../api/types';

export interface WorklistFilters {
  status: StudyStatus;
  modality: ModalityClass | '';
  priority: Priority | '';
  facility: string;
  from: string; // YYYY-MM-DD
  to: string;
}

export const statuses: StudyStatus[] = ['ready', 'claimed', 'reported', 'receiving', 'cancelled'];
export const modalities: ModalityClass[] = ['CT', 'XRAY', 'OTHER'];
export const priorities: Priority[] = ['stat', 'urgent', 'routine'];

const isDate = (value: string | undefined) => !!value && /^\d{4}-\d{2}-\d{2}$/.test(value);

export function filtersOf(query: Record<string, string>): WorklistFilters {
  return {
    status: statuses.includes(query.status as StudyStatus) ? (query.status as StudyStatus) : 'ready',
    modality: modalities.includes(query.modality as ModalityClass) ? (query.modality as ModalityClass) : '',
    priority: priorities.includes(query.priority as Priority) ? (query.priority as Priority) : '',
    facility: (query.facility ?? '').slice(0, 64),
    from: isDate(query.from) ? query.from : '',
    to: isDate(query.to) ? query.to : '',
  };
}

// The query string of the filters that differ from the defaults ("" when none).
export function searchOf(filters: WorklistFilters): string {
  const params = new URLSearchParams();
  if (filters.status !== 'ready') params.set('status', filters.status);
  for (const key of ['modality', 'priority', 'facility', 'from', 'to'] as const) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? '?' + text : '';
}

// The API's query: the status always, the rest when set, a page of `limit`.
export function apiQueryOf(filters: WorklistFilters, limit: number, cursor?: string): string {
  const params = new URLSearchParams({ status: filters.status, limit: String(limit) });
  for (const key of ['modality', 'priority', 'facility', 'from', 'to'] as const) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  if (cursor) params.set('cursor', cursor);
  return '/worklist?' + params.toString();
}
