import type { HttpBindings } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { SECURE_HEADERS } from '../http/middleware/content-security-policy.js';
import type { AppEnv } from '../http/env.js';

/**
 * The security headers of every answer, written on Node's own response before the app runs,
 * instead of hono/secure-headers setting them on each answer's `Headers` afterwards. They are the
 * same for every request, and each one set through undici's `Headers` (validated, sorted, then
 * turned back into an object by the adapter) cost a page 7-10% of its CPU and `/health` 16-20%
 * (docs/performance.md#issue-26-the-reads-and-the-fixed-cost-of-a-request).
 *
 * The headers are what hono/secure-headers itself sets with SECURE_HEADERS, read once at start from
 * an answer of a probe app, so the two cannot drift. Node merges them under the answer's own
 * headers, which win: that is SECURE_HEADERS' `overwrite: false` (the dashboard's and the docs'
 * Content-Security-Policy, a badge's Cross-Origin-Resource-Policy). `node-secure-headers.e2e.test.ts`
 * compares a real server's answers with the app's in process.
 */
export async function nodeSecureHeaders(): Promise<MiddlewareHandler<AppEnv>> {
  const headers = await secureHeaderValues();
  return async (c, next) => {
    (c.env as unknown as HttpBindings).outgoing.setHeaders(headers);
    await next();
  };
}

/** What hono/secure-headers adds, with SECURE_HEADERS, to an answer that has no headers. */
export async function secureHeaderValues(): Promise<Map<string, string>> {
  const probe = new Hono().use(secureHeaders(SECURE_HEADERS)).get('/', (c) => c.body(null, 204));
  const answer = await probe.request('/');
  return new Map(answer.headers);
}
