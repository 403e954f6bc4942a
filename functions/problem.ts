import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type ErrorCode, type FieldError } from '../shared/errors.js';
import type { AppEnv } from './env.js';

/** The only place a domain error code becomes an HTTP status. */
const STATUS_BY_CODE: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  JOB_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  JOB_ARCHIVED: 409,
  INVALID_TRANSITION: 409,
  RUN_FINISHED: 409,
  CONCURRENT_UPDATE: 409,
};

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ProblemInit {
  detail: string;
  code?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
}

/** Writes an RFC 9457 `application/problem+json` response. */
export function problem(c: Context, status: ContentfulStatusCode, init: ProblemInit): Response {
  const body = {
    type: init.code
      ? `urn:chronotrack:problem:${init.code.toLowerCase().replace(/_/g, '-')}`
      : 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail: init.detail,
    ...(init.code ? { code: init.code } : {}),
    ...(init.errors ? { errors: init.errors } : {}),
  };
  return c.body(JSON.stringify(body), status, {
    ...init.headers,
    'Content-Type': 'application/problem+json',
  });
}

export const validationProblem = (c: Context, detail: string, errors: FieldError[]): Response =>
  problem(c, 400, { detail, code: 'VALIDATION_FAILED', errors });

/** Maps every thrown error to a problem response; unknown errors are logged, never shown. */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof DomainError) {
    const errors = err.fieldErrors.length > 0 ? err.fieldErrors : undefined;
    return problem(c, STATUS_BY_CODE[err.code], { detail: err.message, code: err.code, errors });
  }
  if (err instanceof HTTPException && err.status === 400) {
    // Hono's JSON parser: malformed JSON looks like every other validation failure.
    return validationProblem(c, 'Invalid request body.', [
      { path: '(root)', message: err.message },
    ]);
  }
  if (err instanceof HTTPException && err.status < 500) {
    return problem(c, err.status, {
      detail: err.message || TITLES[err.status] || 'Request failed',
    });
  }
  c.var.services?.logger.error('unhandled error', {
    requestId: c.var.requestId,
    method: c.req.method,
    path: c.req.path,
    error:
      err instanceof Error
        ? { name: err.name, message: err.message, stack: err.stack }
        : String(err),
  });
  return problem(c, 500, {
    detail: 'An unexpected error occurred. It has been logged with the request id.',
  });
};
