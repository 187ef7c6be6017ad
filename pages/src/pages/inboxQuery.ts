// The inbox's filters, kept in the page's URL like the worklist's (a reload or a new
// sign-in shows the same list), and the API's query. A facility's worklist answers
// every status when none is asked (src/reading/study_service.cpp), so "" means all.
import type { StudyStatus } from '../api/types';
import { statuses } from './worklistQuery';

export interface InboxFilters {
  status: StudyStatus | '';
  from: string; // YYYY-MM-DD
  to: string;
}

const isDate = (value: string | undefined) => !!value && /^\d{4}-\d{2}-\d{2}$/.test(value);

export function inboxFiltersOf(query: Record<string, string>): InboxFilters {
  return {
    status: statuses.includes(query.status as StudyStatus) ? (query.status as StudyStatus) : '',
    from: isDate(query.from) ? query.from : '',
    to: isDate(query.to) ? query.to : '',
  };
}

function paramsOf(filters: InboxFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['status', 'from', 'to'] as const) if (filters[key]) params.set(key, filters[key]);
  return params;
}

// The query string of the filters set ("" when none).
export function inboxSearchOf(filters: InboxFilters): string {
  const text = paramsOf(filters).toString();
  return text ? '?' + text : '';
}

export function inboxApiQueryOf(filters: InboxFilters, limit: number, cursor?: string): string {
  const params = paramsOf(filters);
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return '/worklist?' + params.toString();
}
