// Every call of the pages to telerad's REST API. Same origin, the session cookie goes
// along; a change carries the CSRF header the server asks of cookie-authenticated
// requests (API.md, "Browser sessions"). Failures become a Problem the pages can name
// in words (never a raw JSON error): an expired session also tells the session
// (onExpired), which sends the user to sign in and back.
export type ProblemKind = 'expired' | 'refused' | 'conflict' | 'not_found' | 'invalid' | 'locked' | 'outage' | 'offline';

export interface Problem {
  kind: ProblemKind;
  status: number; // 0: no answer
  code?: string;
  message?: string; // the server's own words, shown as detail
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message || problem.kind);
  }
}

const expiredListeners = new Set<() => void>();
export function onExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

function kindOf(status: number): ProblemKind {
  if (status === 401) return 'expired';
  if (status === 403) return 'refused';
  if (status === 404) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'locked';
  if (status >= 500) return 'outage';
  return 'invalid';
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  // The body's media type when it is not JSON (a CSV file): `body` is then sent as is.
  contentType?: string;
  signal?: AbortSignal;
  // A 401 here is an answer (a wrong password), not an expired session.
  expectUnauthenticated?: boolean;
  // A list the page polls: asked with the ETag of the last answer, which a 304 repeats.
  revalidate?: boolean;
  // The version the change was made to (a report's ETag): the server answers 412 when stale.
  ifMatch?: number;
}

// The last answer of each polled list and its ETag, in this page's memory only: the API
// answers `no-store` (patient data never lands in the browser's disk cache) and the
// server's 304 carries no body (api/json_etag.h), so a worklist that has not changed
// costs a few hundred bytes on a rural link instead of the whole list. Forgotten when
// the session ends.
const lastAnswers = new Map<string, { etag: string; body: unknown }>();
const lastAnswersKept = 16;
export function forgetAnswers(): void {
  lastAnswers.clear();
}

export function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  return call<T>('/api/v1' + path, 'application/json', options);
}

// A DICOMweb search (QIDO-RS, PS3.18 10.6) with the same session and the same problems.
export function dicomweb<T>(path: string, options: CallOptions = {}): Promise<T> {
  return call<T>('/dicomweb' + path, 'application/dicom+json', options);
}

// A file's bytes as the server sent them (the KPI report as CSV, its byte order mark
// kept for spreadsheets), with the same session and the same problems.
export function apiBlob(path: string, accept: string, options: CallOptions = {}): Promise<Blob> {
  return call<Blob>('/api/v1' + path, accept, options, true);
}

async function call<T>(url: string, accept: string, options: CallOptions, asBlob = false): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: accept };
  if (method !== 'GET') headers['X-Requested-With'] = 'telerad';
  const raw = options.contentType !== undefined && typeof options.body === 'string';
  if (options.body !== undefined) headers['Content-Type'] = raw ? options.contentType! : 'application/json';
  const last = method === 'GET' && options.revalidate ? lastAnswers.get(url) : undefined;
  if (last) headers['If-None-Match'] = last.etag;
  if (options.ifMatch !== undefined) headers['If-Match'] = `"${options.ifMatch}"`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : raw ? (options.body as string) : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ kind: navigator.onLine ? 'outage' : 'offline', status: 0 });
  }
  if (response.status === 304 && last) return last.body as T;
  if (asBlob && response.ok) return (await response.blob()) as T;
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page or a cut answer: the status says enough.
  }
  if (response.ok) {
    if (body === null && text) throw new ApiError({ kind: 'outage', status: response.status });
    const etag = response.headers.get('ETag');
    if (method === 'GET' && options.revalidate && etag) {
      lastAnswers.delete(url);
      if (lastAnswers.size >= lastAnswersKept) lastAnswers.delete(lastAnswers.keys().next().value as string);
      lastAnswers.set(url, { etag, body });
    }
    return body as T;
  }
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  const problem: Problem = { kind: kindOf(response.status), status: response.status, code: error?.code, message: error?.message };
  if (problem.kind === 'expired') forgetAnswers();
  if (problem.kind === 'expired' && !options.expectUnauthenticated) expiredListeners.forEach((listener) => listener());
  throw new ApiError(problem);
}

export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return { kind: 'outage', status: 0, message: error instanceof Error ? error.message : String(error) };
}
