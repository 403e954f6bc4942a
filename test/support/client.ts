import { TEST_ADMIN_KEY } from './keys.js';

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
  /** The API key sent as `Authorization: Bearer`; null sends none. Defaults to the client's. */
  key?: string | null;
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
  const headers: Record<string, string> = {};
  if (options.key) headers.Authorization = `Bearer ${options.key}`;
  Object.assign(headers, options.headers);
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

/** Shorthands bound to one target, sending `key` (the test admin key unless told otherwise). */
export function client(target: ApiTarget, key: string | null = TEST_ADMIN_KEY) {
  const withKey = (options?: CallOptions): CallOptions => ({ key, ...options });
  return {
    key,
    get: <T = any>(path: string, options?: CallOptions) =>
      call<T>(target, 'GET', path, withKey(options)),
    post: <T = any>(path: string, json?: unknown, options?: CallOptions) =>
      call<T>(target, 'POST', path, { ...withKey(options), json }),
    patch: <T = any>(path: string, json?: unknown, options?: CallOptions) =>
      call<T>(target, 'PATCH', path, { ...withKey(options), json }),
    delete: <T = any>(path: string, options?: CallOptions) =>
      call<T>(target, 'DELETE', path, withKey(options)),
    call: <T = any>(method: string, path: string, options?: CallOptions) =>
      call<T>(target, method, path, withKey(options)),
    /** Creates a job and returns it; fails loudly if the API refuses. */
    async job(name = 'Daily ETL', extra: Record<string, unknown> = {}) {
      const res = await call(target, 'POST', '/api/jobs', { key, json: { name, ...extra } });
      if (res.status !== 201) throw new Error(`creating a job failed: ${res.status} ${res.text}`);
      return res.body as {
        id: number;
        projectId: number;
        name: string;
        archived: boolean;
        updatedAt: string;
      };
    },
    /** Creates a run of a job and returns it. */
    async run(jobId: number, json: Record<string, unknown> = {}) {
      const res = await call(target, 'POST', `/api/jobs/${jobId}/runs`, { key, json });
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

/** Creates an API key through the API (with an admin client) and returns a client that uses it. */
export async function clientWithNewKey(
  admin: Client,
  target: ApiTarget,
  request: { name?: string; scope: 'read' | 'write' | 'admin'; projectId?: number },
) {
  const res = await admin.post('/api/keys', { name: `test ${request.scope} key`, ...request });
  if (res.status !== 201) throw new Error(`creating a key failed: ${res.status} ${res.text}`);
  return { api: client(target, res.body.key as string), created: res.body };
}
