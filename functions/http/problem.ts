import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, ErrorCode, type FieldError } from '../../shared/errors.js';
import type { AppEnv } from './env.js';
import { loggablePath } from './middleware/log-path.js';

/**
 * The HTTP layer's own problem codes: who is calling, how often, which route and which body.
 * The domain's codes are shared/errors.ts's ErrorCode; a problem answers with one of either.
 */
export const TransportCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  INSUFFICIENT_SCOPE: 'INSUFFICIENT_SCOPE',
  RATE_LIMITED: 'RATE_LIMITED',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

export type TransportCode = (typeof TransportCode)[keyof typeof TransportCode];

/** Every code a problem response can carry. */
export type ProblemCode = ErrorCode | TransportCode;

/** The only place a problem code becomes an HTTP status. */
const STATUS_BY_CODE: Record<ProblemCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INSUFFICIENT_SCOPE: 403,
  JOB_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  PROJECT_NOT_FOUND: 404,
  KEY_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  CHANNEL_NOT_FOUND: 404,
  BADGE_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  JOB_ARCHIVED: 409,
  INVALID_TRANSITION: 409,
  RUN_FINISHED: 409,
  CONCURRENT_UPDATE: 409,
  PROJECT_NAME_TAKEN: 409,
  PROJECT_IS_DEFAULT: 409,
  JOB_KEY_TAKEN: 409,
  IDEMPOTENCY_KEY_IN_FLIGHT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  MAIL_NOT_CONFIGURED: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  // RFC 4918's Insufficient Storage: the server, not the request, cannot hold it (retry later).
  STORAGE_FULL: 507,
  BACKUP_NOT_SUPPORTED: 501,
};

/** Headers a problem of a code always carries: when to retry a key still in flight. */
const HEADERS_BY_CODE: Partial<Record<ProblemCode, Record<string, string>>> = {
  IDEMPOTENCY_KEY_IN_FLIGHT: { 'Retry-After': '1' },
  // Freeing space takes an operator: a client that retries should not hammer a full disk.
  STORAGE_FULL: { 'Retry-After': '60' },
};

/** Hono's own exceptions (body parser, validators) by status. */
const CODE_BY_HTTP_STATUS: Partial<Record<number, ProblemCode>> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: TransportCode.UNAUTHENTICATED,
  403: TransportCode.INSUFFICIENT_SCOPE,
  404: TransportCode.ROUTE_NOT_FOUND,
  405: TransportCode.METHOD_NOT_ALLOWED,
  413: TransportCode.PAYLOAD_TOO_LARGE,
  415: TransportCode.UNSUPPORTED_MEDIA_TYPE,
  429: TransportCode.RATE_LIMITED,
};

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

export interface ProblemInit {
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
}

/**
 * Writes an RFC 9457 `application/problem+json` response: every problem carries a `code` from
 * ProblemCode (the domain's or the transport's) and the request's id, so a user's report can be matched to the log line.
 */
export function problem(c: Context, code: ProblemCode, init: ProblemInit): Response {
  const status = STATUS_BY_CODE[code];
  const requestId = c.get('requestId') as string | undefined;
  const body = {
    type: `urn:chronotrack:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: init.detail,
    code,
    ...(requestId ? { requestId } : {}),
    ...(init.errors ? { errors: init.errors } : {}),
  };
  return c.body(JSON.stringify(body), status, {
    ...HEADERS_BY_CODE[code],
    ...init.headers,
    'Content-Type': 'application/problem+json',
  });
}

export const validationProblem = (c: Context, detail: string, errors: FieldError[]): Response =>
  problem(c, 'VALIDATION_FAILED', { detail, errors });

/**
 * A 415's detail: the header to send and what came instead (`curl -d` sends
 * `application/x-www-form-urlencoded` unless told otherwise, the usual way to meet this).
 */
function unsupportedMediaTypeDetail(c: Context): string {
  const sent = c.req.header('Content-Type');
  const got =
    sent === undefined
      ? 'this request has a body but no Content-Type'
      : `this request's Content-Type is \`${sent.slice(0, 100)}\``;
  return `The request body must be JSON, sent with \`Content-Type: application/json\`; ${got}.`;
}

/**
 * A problem the HTTP layer raises itself, with a detail meant for the caller (a Worker that cannot
 * serve names the binding or variable to fix); `onError` answers it like a domain error.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly code: TransportCode,
    message: string,
  ) {
    super(message);
  }
}

/** Maps every thrown error to a problem response; unknown errors are logged, never shown. */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof DomainError) {
    const errors = err.fieldErrors.length > 0 ? err.fieldErrors : undefined;
    return problem(c, err.code, { detail: err.message, errors });
  }
  if (err instanceof TransportError) return problem(c, err.code, { detail: err.message });
  if (err instanceof HTTPException && err.status === 400) {
    // Hono's JSON parser: malformed JSON looks like every other validation failure.
    return validationProblem(c, 'Invalid request body.', [
      { path: '(root)', message: err.message },
    ]);
  }
  if (err instanceof HTTPException && err.status === 415) {
    // The route validators' media-type gate: say what to send, not only what was refused.
    return problem(c, 'UNSUPPORTED_MEDIA_TYPE', { detail: unsupportedMediaTypeDetail(c) });
  }
  const code = err instanceof HTTPException ? CODE_BY_HTTP_STATUS[err.status] : undefined;
  if (err instanceof HTTPException && code) {
    return problem(c, code, { detail: err.message || TITLES[err.status] || 'Request failed' });
  }
  c.get('services')?.logger.error('unhandled error', {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: loggablePath(c.req.path),
    error:
      err instanceof Error
        ? { name: err.name, message: err.message, stack: err.stack }
        : String(err),
  });
  return problem(c, 'INTERNAL_ERROR', {
    detail: 'An unexpected error occurred. It has been logged with the request id.',
  });
};
