import { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';
import type { Scope } from '../../shared/access.js';
import type { AppEnv } from './env.js';
import { requireScope } from './middleware/auth.js';
import { bodyChecks } from './middleware/json-body.js';
import { validationProblem } from './problem.js';
import { ProblemSchema } from './wire-primitives.js';

const PROBLEM_DESCRIPTIONS = {
  400: 'Invalid input: malformed JSON, wrong types, unknown fields, bad id, limit or cursor.',
  401: 'No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`).',
  403: "The API key's scope is too weak for this route.",
  404: 'It does not exist, or belongs to a project this key cannot see.',
  409: 'The change conflicts with the current state (archived job, forbidden transition, concurrent update, a job key taken).',
  413: 'The request body exceeds 64 KiB (512 KiB for `PATCH /runs/{runId}`, whose `output` may hold 65,536 characters).',
  415: 'The request body is not JSON: send it with `Content-Type: application/json`.',
  422: 'Valid, but this server cannot do it: an email channel where no mail transport is configured (`MAIL_NOT_CONFIGURED`: SMTP_URL and SMTP_FROM unset).',
  429: 'Too many requests for this key (or address): see `Retry-After` and `RateLimit`.',
  500: 'Unexpected error; details are in the server log under the request id.',
  501: 'This runtime cannot do it: a backup where the database is not a file this server holds (Cloudflare D1, a libSQL server: `BACKUP_NOT_SUPPORTED`).',
} as const;

type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

/** The security schemes every guarded operation lists (components.securitySchemes). */
export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http' as const,
    scheme: 'bearer',
    description: 'An API key (`ct_...`) as `Authorization: Bearer <key>`.',
  },
  apiKeyHeader: {
    type: 'apiKey' as const,
    in: 'header' as const,
    name: 'X-Api-Key',
    description: 'The same API key in `X-Api-Key`, as Healthchecks clients send it.',
  },
};

/**
 * A route's scope, declared beside it: the check runs before the route's validators (so a weak
 * key learns nothing about body shapes), and the OpenAPI document lists the scope as the role the
 * bearer key must hold. Spread into `createRoute({...})`; add `guardedResponses` to its responses.
 */
export const requires = (scope: Scope, options: { maxBodyBytes?: number } = {}) => ({
  security: [{ bearerAuth: [scope] }, { apiKeyHeader: [scope] }] as Array<Record<string, string[]>>,
  // The scope first: a key too weak for the route gets its 403 before any byte of the body is
  // read (the body checks would answer a large one with 413).
  middleware: [requireScope(scope), bodyChecks(options.maxBodyBytes)],
  'x-required-scope': scope,
});

const stringHeader = (description: string) => ({
  description,
  schema: { type: 'string' as const },
});

/** What a client needs to back off: the headers every 429 carries. */
const RATE_LIMITED_HEADERS = {
  'Retry-After': stringHeader('Seconds to wait before the next request.'),
  RateLimit: stringHeader('What is left of the quota and when it is whole: `"default";r=0;t=12`.'),
  'RateLimit-Policy': stringHeader('The quota: `"default";q=1200;w=60` (requests per window).'),
};
const UNAUTHENTICATED_HEADERS = {
  'WWW-Authenticate': stringHeader(
    '`Bearer realm="chronotrack"`, with `error="invalid_token"` for a bad key.',
  ),
};

/** Response entries for the problem+json errors a route can answer with (and 500). */
export function problemResponses<S extends ProblemStatus>(...statuses: S[]) {
  const responses = {} as Record<
    S,
    {
      description: string;
      headers?: Record<string, ReturnType<typeof stringHeader>>;
      content: { 'application/problem+json': { schema: typeof ProblemSchema } };
    }
  >;
  for (const status of [...statuses, 500 as S]) {
    responses[status] = {
      description: PROBLEM_DESCRIPTIONS[status],
      ...(status === 429 ? { headers: RATE_LIMITED_HEADERS } : {}),
      ...(status === 401 ? { headers: UNAUTHENTICATED_HEADERS } : {}),
      content: { 'application/problem+json': { schema: ProblemSchema } },
    };
  }
  return responses;
}

/** The problems of a route behind an API key: 401, 403 and 429, plus the route's own. */
export const guardedResponses = <S extends ProblemStatus>(...statuses: S[]) =>
  problemResponses<S | 401 | 403 | 429>(401, 403, 429, ...statuses);

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  required,
  content: { 'application/json': { schema } },
});

/** A sub-app whose validation failures all look the same: 400 problem+json with `errors`. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const where =
        result.target === 'json'
          ? 'request body'
          : result.target === 'query'
            ? 'query string'
            : 'path';
      const errors = result.error.issues.map((issue) => ({
        path: issue.path.length > 0 ? issue.path.join('.') : '(root)',
        message: issue.message,
      }));
      return validationProblem(c, `Invalid ${where}.`, errors);
    },
  });
}
