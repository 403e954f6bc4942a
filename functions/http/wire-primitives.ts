import type { Context } from 'hono';
import { z } from 'zod';
import type { Page } from '../../shared/models.js';

/**
 * Wire primitives every resource shares, written once: ids, page size and cursor, timestamps in
 * queries and in answers, a page and its `Link`, a problem, and what counts as a JSON request
 * body. A resource's own shapes live beside its routes (functions/http/<resource>/schemas.ts);
 * inputs are strict there (an unknown field is a 400) and their validated output is assignable to
 * the domain's input types (shared/inputs.ts).
 */

const MAX_ID = Number.MAX_SAFE_INTEGER;

export const IdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer')
  .transform(Number)
  .refine((id) => id <= MAX_ID, `must be at most ${MAX_ID}`);

/** A path's id parameter (`/jobs/{id}`, `/runs/{runId}`): its name and what it identifies. */
export const idParams = <N extends string>(name: N, description: string) =>
  z.object({
    [name]: IdSchema.meta({ param: { name, in: 'path' }, example: '1', description }),
  } as Record<N, typeof IdSchema>);

export const LimitSchema = z
  .string()
  .regex(/^[0-9]{1,4}$/, 'must be an integer between 1 and 200')
  .transform(Number)
  .refine((n) => n >= 1 && n <= 200, 'must be an integer between 1 and 200')
  .optional()
  .meta({ description: 'Page size, 1 to 200 (default 50).', example: '50' });

export const CursorSchema = z
  .string()
  .min(1)
  .max(512)
  .optional()
  .meta({ description: "Opaque cursor from a previous page's `nextCursor`." });

export const sortParam = <F extends string>(fields: readonly F[], fallback: string) =>
  z
    .enum(fields.flatMap((field) => [field, `-${field}`]) as [string, ...string[]])
    .optional()
    .meta({
      description: `Sort key; a leading \`-\` sorts descending. Default \`${fallback}\`. Ties are broken by id.`,
    });

export const TimestampParam = (description: string) =>
  z.iso
    .datetime({ offset: true, message: 'must be an ISO-8601 timestamp' })
    .optional()
    .meta({ description, example: '2026-11-01T00:00:00Z' });

/** A timestamp in a request body: ISO 8601 with an offset. */
export const TimestampInput = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 timestamp',
});

/** A timestamp in an answer: ISO 8601 in UTC with milliseconds, as the presenters write it. */
export const IsoTimestamp = z
  .string()
  .meta({ format: 'date-time', example: '2026-11-23T10:00:00.000Z' });

/** A list's project filter. */
export const ProjectFilter = IdSchema.optional().meta({
  description: "Only this project's. A project-scoped key always sees only its own project.",
  example: '1',
});

/** `application/json` and its `+json` kin (`application/merge-patch+json`), parameters allowed. */
export const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

const NextCursor = z
  .string()
  .nullable()
  .meta({ description: 'Cursor for the next page; null on the last page.' });

/** A page of items, as every list answers it. */
export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ data: z.array(item), nextCursor: NextCursor }).meta({ id });

export const pageJson = <T, J>(page: Page<T>, present: (item: T) => J) => ({
  data: page.data.map(present),
  nextCursor: page.nextCursor,
});

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
  c.header('Link', `<${nextPageReference(c.req.url, nextCursor)}>; rel="next"`);
}

/** Path segments URL would leave as they are: unreserved characters, none a dot segment. */
const PLAIN_PATH = /^(?:\/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*)?)+$/;
const UNUSUAL = /[^\u0021-\u007e]|#/;

/**
 * The request's path and query with `cursor` set, as `new URL(url)` with `searchParams.set`
 * writes them. Parsing the whole URL was a visible share of a page's CPU, so a plain path (every
 * route's) is sliced out, and only the query goes through URLSearchParams, which writes it the same
 * way (`wire-primitives.test.ts` holds the two equal).
 */
export function nextPageReference(url: string, cursor: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const queryAt = url.indexOf('?', start);
  const path = queryAt === -1 ? url.slice(start) : url.slice(start, queryAt);
  // URL strips controls and spaces from the ends, drops tabs and newlines, cuts at a `#`, and
  // encodes other characters before its searchParams read them; URLSearchParams drops a first `?`.
  if (
    start === -1 ||
    UNUSUAL.test(url) ||
    !PLAIN_PATH.test(path) ||
    (queryAt !== -1 && url[queryAt + 1] === '?')
  ) {
    const parsed = new URL(url);
    parsed.searchParams.set('cursor', cursor);
    return `${parsed.pathname}${parsed.search}`;
  }
  const query = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1));
  query.set('cursor', cursor);
  return `${path}?${query}`;
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().optional(),
    requestId: z.string().optional().meta({ description: 'The X-Request-Id of the request.' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });
