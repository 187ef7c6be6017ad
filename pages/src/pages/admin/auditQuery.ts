// The audit trail's filters, kept in the page's URL (a reload or a shared link shows the
// same entries), and the API's query: the days are Ulaanbaatar's, the "to" day whole.
export interface AuditFilters {
  username: string;
  action: string;
  object_id: string;
  from: string; // YYYY-MM-DD
  to: string;
}

const keys = ['username', 'action', 'object_id', 'from', 'to'] as const;
const isDate = (value: string | undefined) => !!value && /^\d{4}-\d{2}-\d{2}$/.test(value);

export function auditFiltersOf(query: Record<string, string>): AuditFilters {
  return {
    username: (query.username ?? '').slice(0, 64),
    action: (query.action ?? '').slice(0, 64),
    object_id: (query.object_id ?? '').slice(0, 128),
    from: isDate(query.from) ? query.from : '',
    to: isDate(query.to) ? query.to : '',
  };
}

export function auditSearchOf(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const key of keys) if (filters[key].trim()) params.set(key, filters[key].trim());
  const text = params.toString();
  return text ? '?' + text : '';
}

export function auditApiQuery(filters: AuditFilters, limit: number, cursor?: string): string {
  const params = new URLSearchParams({ limit: String(limit) });
  for (const key of ['username', 'action', 'object_id'] as const) if (filters[key].trim()) params.set(key, filters[key].trim());
  if (filters.from) params.set('from', new Date(`${filters.from}T00:00:00+08:00`).toISOString());
  if (filters.to) params.set('to', new Date(`${filters.to}T23:59:59.999+08:00`).toISOString());
  if (cursor) params.set('cursor', cursor);
  return '/audit?' + params.toString();
}
