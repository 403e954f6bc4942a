import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../env.js';
import { problem } from '../problem.js';

const MAX_BODY_BYTES = 64 * 1024;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/** Bodies over 64 KiB are refused with 413 before anything reads them into memory. */
function limitBody(): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) =>
      problem(c, 'PAYLOAD_TOO_LARGE', {
        detail: `The request body exceeds ${MAX_BODY_BYTES} bytes.`,
      }),
  });
}

/**
 * An empty JSON body counts as `{}`, so `curl -X POST -H 'Content-Type: application/json'` works
 * like a body-less POST. Content-type checks (415) and parsing (400) stay with the route validators.
 */
function emptyJsonBodyAsObject(): MiddlewareHandler<AppEnv> {
  return async function emptyJsonBodyMiddleware(c, next) {
    if (
      WRITE_METHODS.has(c.req.method) &&
      JSON_MEDIA_TYPE.test(c.req.header('Content-Type') ?? '')
    ) {
      const text = await c.req.text();
      // Hono caches bodies as promises; its type names the method instead, hence the cast.
      if (text.trim() === '')
        (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve('{}');
    }
    await next();
  };
}

/**
 * The body checks, for the requests that carry a body only: on Node, touching the raw request
 * makes the adapter build a full Request object. One `use` middleware rather than one route per
 * method, so the method-not-allowed check does not count them as routes.
 */
export function bodyChecks(): MiddlewareHandler<AppEnv> {
  const limit = limitBody();
  const emptyAsObject = emptyJsonBodyAsObject();
  return async function bodyChecksMiddleware(c, next) {
    if (!WRITE_METHODS.has(c.req.method)) return next();
    return limit(c, async () => {
      await emptyAsObject(c, next);
    });
  };
}
