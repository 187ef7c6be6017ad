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
}

export function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  return call<T>('/api/v1' + path, 'application/json', options);
}

// A DICOMweb search (QIDO-RS, PS3.18 10.6) with the same session and the same problems.
export function dicomweb<T>(path: string, options: CallOptions = {}): Promise<T> {
  return call<T>('/dicomweb' + path, 'application/dicom+json', options);
}

async function call<T>(url: string, accept: string, options: CallOptions): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: accept };
  if (method !== 'GET') headers['X-Requested-With'] = 'telerad';
  const raw = options.contentType !== undefined && typeof options.body === 'string';
  if (options.body !== undefined) headers['Content-Type'] = raw ? options.contentType! : 'application/json';
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
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page or a cut answer: the status says enough.
  }
  if (response.ok) {
    if (body === null && text) throw new ApiError({ kind: 'outage', status: response.status });
    return body as T;
  }
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  const problem: Problem = { kind: kindOf(response.status), status: response.status, code: error?.code, message: error?.message };
  if (problem.kind === 'expired' && !options.expectUnauthenticated) expiredListeners.forEach((listener) => listener());
  throw new ApiError(problem);
}

export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return { kind: 'outage', status: 0, message: error instanceof Error ? error.message : String(error) };
}
