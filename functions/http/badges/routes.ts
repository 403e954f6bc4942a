import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { etag, RETAINED_304_HEADERS } from 'hono/etag';
import type { AppEnv } from '../env.js';
import { problem } from '../problem.js';
import { endpointJson, jobBadge, projectBadge } from './presenters.js';
import { badgeSvg, type Badge } from './svg.js';

/**
 * Status badges (docs/api-spec.md#status-badges): `/badge/{badgeKey}/{jobKey}.svg` and the
 * project's `/badge/{badgeKey}.svg`, with `.json` variants in shields.io's endpoint format. No API
 * key: the badge key in the URL is a read-only secret, and a badge shows a job's name and health,
 * nothing else. Unknown badge key and unknown job are the same 404.
 */

/** Long enough to spare the database a page's worth of reloads, short enough to stay current. */
export const BADGE_MAX_AGE_SECONDS = 60;

/** What every badge answer carries (a 304 included, so a revalidated badge stays embeddable). */
const BADGE_HEADERS = {
  'Cache-Control': `public, max-age=${BADGE_MAX_AGE_SECONDS}`,
  // Badges are meant to be embedded in other sites' pages: the secure headers' same-origin
  // policy would make a browser refuse them as images there.
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Access-Control-Allow-Origin': '*',
};

const FILE = /^(.+)\.(svg|json)$/;

function answer(c: Context<AppEnv>, badge: Badge, format: string) {
  if (format === 'json') return c.json(endpointJson(badge), 200, BADGE_HEADERS);
  return c.body(badgeSvg(badge), 200, {
    ...BADGE_HEADERS,
    'Content-Type': 'image/svg+xml; charset=utf-8',
  });
}

const notFound = (c: Context<AppEnv>) =>
  problem(c, 'BADGE_NOT_FOUND', {
    detail: 'No badge at this URL: check its badge key and job key.',
    headers: { 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' },
  });

/**
 * ETag from the body's digest; a matching If-None-Match is a 304 that keeps the badge headers (the
 * secure headers would otherwise put back a same-origin resource policy on it).
 */
export function badgeETag(): MiddlewareHandler<AppEnv> {
  return etag({
    retainedHeaders: [
      ...RETAINED_304_HEADERS,
      'cross-origin-resource-policy',
      'access-control-allow-origin',
    ],
  });
}

/** GET (and HEAD, answered by GET's handler) `/badge/{badgeKey}.svg|json` and `/badge/{badgeKey}/{jobKey}.svg|json`. */
export const badgesApp = new Hono<AppEnv>()
  .get('/:file', async (c) => {
    const [, badgeKey = '', format = ''] = FILE.exec(c.req.param('file')) ?? [];
    const found = format ? await c.get('services').badges.project(badgeKey) : null;
    return found ? answer(c, projectBadge(found), format) : notFound(c);
  })
  .get('/:badgeKey/:file', async (c) => {
    const [, jobKey = '', format = ''] = FILE.exec(c.req.param('file')) ?? [];
    const found = format
      ? await c.get('services').badges.job(c.req.param('badgeKey'), jobKey)
      : null;
    return found ? answer(c, jobBadge(found), format) : notFound(c);
  });
