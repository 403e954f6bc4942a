import type { PingSignal } from '../../../shared/inputs.js';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { isJobKey } from '../../../shared/job-keys.js';
import type { Job } from '../../../shared/models.js';
import type { AppEnv } from '../env.js';

/**
 * Healthchecks-compatible pings (docs/alerts.md): `/ping/{uuid}[/start|/fail|/log|/{0-255}]` and
 * `/ping/{pingKey}/{jobKey}[/...]` (`?create=1` provisions the job), GET, HEAD or POST, `?rid=`
 * pairing a start with its finish. No API key (the UUID or ping key is the secret); answers are
 * Healthchecks' short plain-text ones, so `curl -fsS`, runitor and its client libraries work as
 * they do against hc-ping.com.
 */

/** Healthchecks' documented request body limit; the run keeps the last 64 KiB of it. */
export const PING_BODY_LIMIT_BYTES = 100_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An exit status segment (`/ping/{uuid}/3`): 0-255 once read as a number. */
export const EXIT_STATUS = /^[0-9]{1,3}$/;

type Parsed = PingSignal | 'invalid' | 'unknown';

/** The signal a path's last segment names (none: success). */
function parseSignal(segment: string | undefined): Parsed {
  if (segment === undefined) return { kind: 'success' };
  if (segment === 'start' || segment === 'fail' || segment === 'log') return { kind: segment };
  if (EXIT_STATUS.test(segment)) {
    const status = Number(segment);
    return status <= 255 ? { kind: 'exit', status } : 'invalid';
  }
  return 'unknown';
}

const answer = (c: Context<AppEnv>, text: string, status: 200 | 201 | 400 | 404) => {
  c.header('Ping-Body-Limit', String(PING_BODY_LIMIT_BYTES));
  return c.text(text, status);
};

/** The body as stored: a note instead of a body over the limit (the ping itself still counts). */
async function readBody(c: Context<AppEnv>): Promise<string | undefined> {
  if (c.req.method !== 'POST') return undefined;
  const declared = Number(c.req.header('Content-Length') ?? NaN);
  if (declared > PING_BODY_LIMIT_BYTES) return tooLarge(declared);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > PING_BODY_LIMIT_BYTES) return tooLarge(bytes.byteLength);
  return bytes.byteLength === 0 ? undefined : new TextDecoder().decode(bytes);
}

const tooLarge = (size: number) =>
  `(ping body of ${size} bytes not stored: over the ${PING_BODY_LIMIT_BYTES}-byte limit)`;

async function handlePing(c: Context<AppEnv>) {
  const [first = '', second, third, ...rest] = c.req.path
    .replace(/^\/ping\/?/, '')
    .split('/')
    .map(decodeURIComponent);
  if (rest.length > 0 || first === '') return answer(c, 'not found', 404);
  const pings = c.get('services').pings;
  const byUuid = UUID.test(first);
  if (byUuid && third !== undefined) return answer(c, 'not found', 404);
  if (!byUuid && second === undefined) return answer(c, 'not found', 404);

  const signal = parseSignal(byUuid ? second : third);
  if (signal === 'unknown') return answer(c, 'not found', 404);
  if (signal === 'invalid') return answer(c, 'invalid url format', 400);
  const rid = c.req.query('rid');
  if (rid !== undefined && !UUID.test(rid)) return answer(c, 'invalid url format', 400);

  let job: Job | null;
  let created = false;
  if (byUuid) {
    job = await pings.byUuid(first);
  } else {
    const slug = second!;
    const create = c.req.query('create') === '1';
    if (create && !isJobKey(slug)) return answer(c, 'invalid url format', 400);
    const found = await pings.bySlug(first, slug, create);
    job = found?.job ?? null;
    created = found?.created ?? false;
  }
  if (!job) return answer(c, 'not found', 404);

  const body = await readBody(c);
  await pings.record(job, { signal, rid: rid?.toLowerCase(), body });
  return created ? answer(c, 'created', 201) : answer(c, 'OK', 200);
}

/**
 * The headers of every answer under /ping, as Healthchecks gives them: `Access-Control-Allow-Origin:
 * *`, so a browser page may ping and read the answer (the URL is the secret, no cookie or key is
 * involved, so any origin is as good as another), with OPTIONS preflights answered 204; and
 * `Cache-Control: no-cache`, so no proxy or browser answers a ping from its cache instead of
 * passing it on. Mounted by createApp before the rate limiter, so a 429 and a 404 carry them too;
 * the API's own CORS (CORS_ORIGINS, closed by default) is separate and unchanged.
 */
export function pingHeaders(): MiddlewareHandler<AppEnv> {
  const anyOrigin = cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'POST'], maxAge: 600 });
  return async function pingHeadersMiddleware(c, next) {
    const preflight = await anyOrigin(c, next);
    if (preflight) {
      preflight.headers.set('Cache-Control', 'no-cache');
      return preflight;
    }
    c.res.headers.set('Cache-Control', 'no-cache');
  };
}

/** GET and POST (HEAD is answered by GET's handler, without a body). */
export const pingsApp = new Hono<AppEnv>().on(
  ['GET', 'POST'],
  ['/:first', '/:first/:second', '/:first/:second/:third'],
  handlePing,
);
