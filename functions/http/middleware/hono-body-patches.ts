import type { Context } from 'hono';
import type { AppEnv } from '../env.js';

/**
 * The places the server reaches past Hono's and @hono/node-server's public API for a request's
 * body, gathered so a Hono upgrade has one file to check. Each is here for speed or for a
 * behaviour Hono has no option for; docs/performance.md#hand-tuned-code has the figures, and
 * json-body.ts (their one user) says when each applies.
 */

/** @hono/node-server hands every request its Node `incoming` message in `c.env`. */
export const onNodeAdapter = (c: Context<AppEnv>): boolean =>
  typeof c.env === 'object' && c.env !== null && 'incoming' in c.env;

/**
 * Gives a request whose framing says it has no body `body: null`, what a `Request` without a
 * body has: on the Node adapter, reading `body` builds a full `Request` and clones it, for a
 * question the framing already answered.
 */
export function markBodyless(c: Context<AppEnv>): void {
  Object.defineProperty(c.req.raw, 'body', { value: null, configurable: true });
}

/**
 * Replaces the body text every later reader sees. Hono caches bodies as promises (its `json()`
 * parses the cached text; the validator's call reads nothing again); the cache's type names the
 * method instead, hence the cast.
 */
export function replaceCachedText(c: Context<AppEnv>, text: string): void {
  (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
}
