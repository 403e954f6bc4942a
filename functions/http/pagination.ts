import type { Context } from 'hono';
import type { z } from 'zod';

/** The `Link` header as documented on every list response. */
const linkHeader = {
  Link: {
    description: 'RFC 8288 link to the next page (`<...>; rel="next"`), present when there is one.',
    schema: { type: 'string' as const },
  },
};

/** A 200 list response: the page schema plus the `Link` header. */
export const pageResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  headers: linkHeader,
  content: { 'application/json': { schema } },
});

/**
 * Sets `Link: <path?...&cursor=...>; rel="next"` (RFC 8288) when there is a next page: the same
 * request with the new cursor, as a relative reference so it never depends on the Host header.
 */
export function setNextLink(c: Context, nextCursor: string | null): void {
  if (!nextCursor) return;
  const url = new URL(c.req.url);
  url.searchParams.set('cursor', nextCursor);
  c.header('Link', `<${url.pathname}${url.search}>; rel="next"`);
}
