import type { IdempotencyRecord } from '../../../shared/repositories.js';
import type { RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type ErrorCode, errorMessage } from '../../../shared/errors.js';
import {
  canonicalJson,
  idempotencyPrincipal,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  parseIdempotencyKey,
  type IdempotencyReservation,
} from '../../../shared/idempotency.js';
import type { AppEnv } from '../env.js';
import { validationProblem } from '../problem.js';
import { JSON_MEDIA_TYPE, ProblemSchema } from '../wire-primitives.js';
import { jobJson } from '../jobs/presenters.js';
import { runJson } from '../runs/presenters.js';

/** What a route that creates something tells the idempotency layer about it. */
export interface IdempotentCreation {
  /** The status the creation answers with, recorded in the same commit as the row. */
  createdStatus: 201;
  /** The created row's `Location`, sent again on a replay. */
  location(id: number): string;
  /**
   * The created row as the first response showed it: a replay's body when the process stopped
   * between committing the row and storing its response.
   */
  present(c: Context<AppEnv>, id: number): Promise<unknown>;
}

export const JOB_CREATION: IdempotentCreation = {
  createdStatus: 201,
  location: (id) => `/api/jobs/${id}`,
  present: async (c, id) =>
    jobJson(
      await c.get('services').jobs.get(id, c.get('principal').projectId),
      c.get('principal').scope,
      c.get('services').now(),
      c.get('services').links,
    ),
};

export const RUN_CREATION: IdempotentCreation = {
  createdStatus: 201,
  location: (id) => `/api/runs/${id}`,
  present: async (c, id) =>
    runJson(await c.get('services').runs.get(id, c.get('principal').projectId)),
};

/**
 * Failures not remembered for a key: the request itself was refused (a retry must be able to
 * fix it and keep the key, as Stripe does for validation errors), or it lost a race that a retry
 * may win. Every other 4xx is an answer of the route and is replayed; a 5xx releases the key.
 */
const REFUSED_STATUSES = new Set([400, 413, 415]);
const RETRYABLE_CODES = new Set<ErrorCode>(['CONCURRENT_UPDATE', 'IDEMPOTENCY_KEY_IN_FLIGHT']);

const worthReplaying = (status: number, error: Error | undefined) =>
  status < 500 &&
  !REFUSED_STATUSES.has(status) &&
  !(error instanceof DomainError && RETRYABLE_CODES.has(error.code));

/**
 * The body as the fingerprint sees it: canonical JSON (key order and spacing do not make another
 * request), the text as sent when it is not valid JSON (the route answers that with a 400), and
 * `{}` for no body, which every write route reads as `{}`.
 */
async function fingerprintedBody(c: Context<AppEnv>): Promise<string> {
  if (!JSON_MEDIA_TYPE.test(c.req.header('Content-Type') ?? '')) return '{}';
  // Already read (and cached) by the body checks, which run before this middleware.
  const text = await c.req.text();
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return text;
  }
}

/** The path and the query with its parameters sorted. */
function requestTarget(c: Context<AppEnv>): string {
  const url = new URL(c.req.url);
  url.searchParams.sort();
  return url.pathname + url.search;
}

async function replay(
  c: Context<AppEnv>,
  record: IdempotencyRecord & { status: number },
  creation: IdempotentCreation,
): Promise<Response> {
  const status = record.status as ContentfulStatusCode;
  c.header('Idempotent-Replayed', 'true');
  if (status < 300 && record.resourceId !== null)
    c.header('Location', creation.location(record.resourceId));
  if (record.body !== null) {
    const type = status >= 400 ? 'application/problem+json' : 'application/json';
    return c.body(record.body, status, { 'Content-Type': type });
  }
  // The row committed with its record, but its process stopped before storing the response.
  if (record.resourceId === null) throw new Error(`idempotency record ${record.id} has no body`);
  return c.json(await creation.present(c, record.resourceId), status);
}

async function settle(c: Context<AppEnv>, reservation: IdempotencyReservation): Promise<void> {
  const { idempotency, logger } = c.get('services');
  try {
    if (worthReplaying(c.res.status, c.error)) {
      await idempotency.finish(reservation, c.res.status, await c.res.clone().text());
    } else {
      await idempotency.release(reservation);
    }
  } catch (error) {
    // The answer stands. A created row's record was committed with it, and a retry is shown the
    // row; any other reservation is taken over by a retry once its lease has passed.
    logger.warn('could not record the outcome of an idempotency key', {
      recordId: reservation.id,
      error: errorMessage(error),
    });
  }
}

/**
 * `Idempotency-Key` on one route: without the header it costs nothing. With one, the key is
 * checked (400), reserved for this principal (or answered from its record: a replay, 409 in
 * flight, 422 reused), and the reservation handed to the route as `c.get('idempotency')`, which the
 * route passes to the creation so the record commits with the row. Then the response is stored
 * for replays, or the reservation released.
 */
export function idempotencyKey(creation: IdempotentCreation): MiddlewareHandler<AppEnv> {
  return async function idempotencyKeyMiddleware(c, next) {
    const header = c.req.header('Idempotency-Key');
    if (header === undefined) return next();
    const parsed = parseIdempotencyKey(header);
    if ('error' in parsed)
      return validationProblem(c, 'Invalid Idempotency-Key header.', [parsed.error]);

    const { idempotency } = c.get('services');
    const fingerprint = await idempotency.fingerprint(
      c.req.method,
      requestTarget(c),
      await fingerprintedBody(c),
    );
    const admission = await idempotency.admit(
      idempotencyPrincipal(c.get('principal')),
      parsed.key,
      fingerprint,
    );
    if (admission.replay) return replay(c, admission.replay, creation);

    const { reservation } = admission;
    c.set('idempotency', { ...reservation, createdStatus: creation.createdStatus });
    await next();
    await settle(c, reservation);
  };
}

const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description:
    'Makes the request safe to retry: the same key with the same request (method, path, query, ' +
    'body) within 24 h answers with the first response again (`Idempotent-Replayed: true`) and ' +
    'creates nothing. 1 to 255 printable ASCII characters, bare or as a quoted string ' +
    '(`"..."`); a UUID is a good key. Keys are per API key.',
  schema: { type: 'string' as const, minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
  example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
};

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

const IN_FLIGHT =
  '`IDEMPOTENCY_KEY_IN_FLIGHT`: a request with this Idempotency-Key is still being processed; retry after `Retry-After` seconds.';

/**
 * The route, taking `Idempotency-Key`: its middleware after the route's own (scope, body checks),
 * the header in the document, and the 409 and 422 it can answer. Wrap a `createRoute(...)` with
 * it, and pass `c.get('idempotency')` to the creation.
 */
export function idempotent<R extends RouteConfig>(creation: IdempotentCreation, route: R): R {
  const middleware = route.middleware ?? [];
  const conflict = route.responses[409] as { description: string } | undefined;
  const created = route.responses[creation.createdStatus] as { headers?: object } | undefined;
  return {
    ...route,
    middleware: [
      ...(Array.isArray(middleware) ? middleware : [middleware]),
      idempotencyKey(creation),
    ],
    parameters: [...(route.parameters ?? []), IDEMPOTENCY_KEY_PARAMETER],
    responses: {
      ...route.responses,
      ...(created && {
        [creation.createdStatus]: {
          ...created,
          headers: {
            ...created.headers,
            'Idempotent-Replayed': {
              description:
                '`true` when this is the stored response to an earlier request with the same Idempotency-Key (nothing was created now).',
              schema: { type: 'string', enum: ['true'] },
            },
          },
        },
      }),
      409: {
        description: conflict ? `${conflict.description} Or ${IN_FLIGHT}` : IN_FLIGHT,
        headers: {
          'Retry-After': {
            description: 'With `IDEMPOTENCY_KEY_IN_FLIGHT`: seconds to wait before retrying.',
            schema: { type: 'string' },
          },
        },
        content: problemContent,
      },
      422: {
        description:
          '`IDEMPOTENCY_KEY_REUSED`: this Idempotency-Key was used with another request (method, path, query or body).',
        content: problemContent,
      },
    },
  };
}
