import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../env.js';
import { problem, validationProblem } from '../problem.js';
import { markBodyless, onNodeAdapter, replaceCachedText } from './hono-body-patches.js';
import { JSON_MEDIA_TYPE } from '../wire-primitives.js';

/** Every route's body limit but the few that name a larger one. */
export const MAX_BODY_BYTES = 64 * 1024;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

const DECIMAL = /^[0-9]+$/;

/**
 * Bodies over `maxBytes` (64 KiB unless the route says) are refused with 413 before anything
 * reads them into memory.
 *
 * Hono's bodyLimit starts by looking at `c.req.raw.body`; on Node that alone makes the adapter
 * build a full `Request` and a web stream around the socket, a large share of a write's CPU
 * (docs/performance.md#hand-tuned-code). So where the
 * framing says enough, the body is not touched: a Content-Length is judged as bodyLimit judges it
 * (Node's parser holds the body to it), and on the Node adapter, which speaks HTTP/1.1 only, a
 * request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3). What is
 * left (chunked bodies; HTTP/2 and 3 on Workers; `app.request` in tests) goes through bodyLimit,
 * which counts bytes as they arrive.
 */
function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  const tooLarge = (c: Context<AppEnv>) =>
    problem(c, 'PAYLOAD_TOO_LARGE', {
      detail: `The request body exceeds ${maxBytes} bytes.`,
    });
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async function limitBodyMiddleware(c, next) {
    if (c.req.header('Transfer-Encoding') !== undefined) return streamed(c, next);
    const length = c.req.header('Content-Length');
    // A Content-Length that is not a number would pass both checks (NaN > max is false, in
    // bodyLimit too): RFC 9112 §6.3 makes it a 400. Node's parser refuses it before this.
    if (length !== undefined && !DECIMAL.test(length))
      return validationProblem(c, 'Content-Length must be a whole number of bytes.', [
        { path: 'Content-Length', message: 'must be a whole number of bytes' },
      ]);
    if (length !== undefined && length !== '0')
      return Number(length) > maxBytes ? tooLarge(c) : next();
    if (onNodeAdapter(c)) {
      // A request whose framing says it has no body: the OpenAPI validators ask a body-less
      // `POST /api/jobs/{id}/runs` whether it has one (to answer 415 without a Content-Type).
      markBodyless(c);
      return next();
    }
    return length === '0' ? next() : streamed(c, next);
  };
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
      if (text.trim() === '') replaceCachedText(c, '{}');
    }
    await next();
  };
}

/**
 * The body checks, for the requests that carry a body only: on Node, touching the raw request
 * makes the adapter build a full Request object. One `use` middleware rather than one route per
 * method, so the method-not-allowed check does not count them as routes.
 */
export function bodyChecks(maxBytes = MAX_BODY_BYTES): MiddlewareHandler<AppEnv> {
  const limit = limitBody(maxBytes);
  const emptyAsObject = emptyJsonBodyAsObject();
  return async function bodyChecksMiddleware(c, next) {
    if (!WRITE_METHODS.has(c.req.method)) return next();
    return limit(c, async () => {
      await emptyAsObject(c, next);
    });
  };
}
