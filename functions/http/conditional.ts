import type { Context, MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';
import { VERSION } from '../../shared/version.js';

/**
 * Conditional GETs (RFC 9110 §13.1.2) for what the dashboard and `--watch`-style clients poll:
 * the answer carries an `ETag`, and a request whose `If-None-Match` names it gets a 304 with no
 * body. `Cache-Control: private, no-cache` lets a browser keep the answer and makes it ask again
 * every time, so fetch() revalidates by itself and hands the page the kept body.
 *
 * Tags are weak (`W/`): they stand for the JSON's content, and a compressed answer of the same
 * JSON matches as well. The server's version is part of each, so an upgrade that changes a
 * presenter never answers 304 to a body of the old shape.
 */
export const CACHE_CONTROL = 'private, no-cache';

/** A weak entity tag for `parts` (numbers and plain words) at this server version. */
export const weakTag = (...parts: Array<string | number>) => `W/"${[VERSION, ...parts].join('-')}"`;

/** If-None-Match's weak comparison: the same opaque tag, W/ or not, or `*`. */
export function noneMatch(ifNoneMatch: string | undefined, tag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = tag.replace(/^W\//, '');
  return ifNoneMatch
    .split(',')
    .some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

/** Sets the answer's `ETag` and `Cache-Control`. */
export function setTag(c: Context, tag: string): void {
  c.header('ETag', tag);
  c.header('Cache-Control', CACHE_CONTROL);
}

const header = (description: string) => ({ description, schema: { type: 'string' as const } });

/** The headers of an answer that can be revalidated, for the OpenAPI document. */
export const CONDITIONAL_HEADERS = {
  ETag: header('A weak entity tag: send it back as `If-None-Match` to get a 304 while unchanged.'),
  'Cache-Control': header('`private, no-cache`: keep it, but ask again before using it.'),
};

/** The 304 entry of a route's responses. */
export const notModifiedResponse = {
  description: 'Not Modified: the answer is still the one `If-None-Match` names; no body.',
  headers: CONDITIONAL_HEADERS,
};

type HeaderObjects = Record<string, { description: string; schema: { type: 'string' } }>;

/** An answer entry of the OpenAPI document, with the headers of one that can be revalidated. */
export const withConditionalHeaders = <R extends { description: string }>(
  response: R & { headers?: HeaderObjects },
) => ({ ...response, headers: { ...response.headers, ...CONDITIONAL_HEADERS } as HeaderObjects });

const hashedETag = etag({ weak: true });

/**
 * For an answer derived from the clock as well as the rows (a job's health moves with time): Hono's
 * etag middleware tags the JSON itself, which saves the bytes of an unchanged answer, not its reads.
 */
export const bodyETag: MiddlewareHandler = (c, next) =>
  hashedETag(c, async () => {
    await next();
    if (c.res.ok) c.res.headers.set('Cache-Control', CACHE_CONTROL);
  });

/** A route's middleware (`requires(...)`) with bodyETag after it. */
export const withBodyETag = <R extends { middleware: MiddlewareHandler[] }>(route: R) => ({
  ...route,
  middleware: [...route.middleware, bodyETag],
});
