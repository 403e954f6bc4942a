/**
 * A tiny HTTP client over any `fetch`-shaped target (app.request on Node, SELF.fetch in workerd),
 * so the same API suite runs unchanged on every runtime. Uses no Node APIs.
 */
export interface ApiTarget {
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  json?: unknown;
  body?: RequestInit['body'];
  headers?: Record<string, string>;
}

export async function call<T = any>(
  target: ApiTarget,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await target.fetch(path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if (/json/.test(response.headers.get('Content-Type') ?? '') && text !== '')
    parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** Shorthands bound to one target. */
export function client(target: ApiTarget) {
  return {
    get: <T = any>(path: string, options?: CallOptions) => call<T>(target, 'GET', path, options),
    post: <T = any>(path: string, json?: unknown, options?: CallOptions) =>
      call<T>(target, 'POST', path, { ...options, json }),
    patch: <T = any>(path: string, json?: unknown, options?: CallOptions) =>
      call<T>(target, 'PATCH', path, { ...options, json }),
    call: <T = any>(method: string, path: string, options?: CallOptions) =>
      call<T>(target, method, path, options),
    /** Creates a job and returns it; fails loudly if the API refuses. */
    async job(name = 'Daily ETL', extra: Record<string, unknown> = {}) {
      const res = await call(target, 'POST', '/jobs', { json: { name, ...extra } });
      if (res.status !== 201) throw new Error(`creating a job failed: ${res.status} ${res.text}`);
      return res.body as { id: number; name: string; archived: boolean; updatedAt: string };
    },
    /** Creates a run of a job and returns it. */
    async run(jobId: number, json: Record<string, unknown> = {}) {
      const res = await call(target, 'POST', `/jobs/${jobId}/runs`, { json });
      if (res.status !== 201) throw new Error(`creating a run failed: ${res.status} ${res.text}`);
      return res.body as { id: number; status: string; startedAt: string | null };
    },
  };
}

export type Client = ReturnType<typeof client>;

/** Asserts the RFC 9457 shape without depending on a test framework here. */
export function isProblem(res: ApiResponse, status: number): boolean {
  const body = res.body as Record<string, unknown>;
  return (
    res.status === status &&
    (res.headers.get('Content-Type') ?? '').startsWith('application/problem+json') &&
    typeof body === 'object' &&
    body !== null &&
    body.status === status &&
    typeof body.type === 'string' &&
    typeof body.title === 'string' &&
    typeof body.detail === 'string'
  );
}
