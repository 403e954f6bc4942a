/**
 * Every problem code the API can answer with, in one enum: the domain's own failures and the
 * HTTP layer's (authentication, limits, routing). functions/http/problem.ts maps each to a status in
 * one table; the domain itself knows nothing of HTTP.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  JOB_NOT_FOUND: 'JOB_NOT_FOUND',
  RUN_NOT_FOUND: 'RUN_NOT_FOUND',
  PROJECT_NOT_FOUND: 'PROJECT_NOT_FOUND',
  KEY_NOT_FOUND: 'KEY_NOT_FOUND',
  WEBHOOK_NOT_FOUND: 'WEBHOOK_NOT_FOUND',
  JOB_ARCHIVED: 'JOB_ARCHIVED',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  RUN_FINISHED: 'RUN_FINISHED',
  CONCURRENT_UPDATE: 'CONCURRENT_UPDATE',
  PROJECT_NAME_TAKEN: 'PROJECT_NAME_TAKEN',
  JOB_KEY_TAKEN: 'JOB_KEY_TAKEN',
  IDEMPOTENCY_KEY_IN_FLIGHT: 'IDEMPOTENCY_KEY_IN_FLIGHT',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  INSUFFICIENT_SCOPE: 'INSUFFICIENT_SCOPE',
  RATE_LIMITED: 'RATE_LIMITED',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
  }
}

const NOT_FOUND = {
  job: ['JOB_NOT_FOUND', 'Job'],
  run: ['RUN_NOT_FOUND', 'Run'],
  project: ['PROJECT_NOT_FOUND', 'Project'],
  key: ['KEY_NOT_FOUND', 'API key'],
  webhook: ['WEBHOOK_NOT_FOUND', 'Webhook'],
} as const;

/** Also what a caller gets for another project's rows: their existence is not revealed. */
export const notFound = (kind: keyof typeof NOT_FOUND, id: number): DomainError =>
  new DomainError(NOT_FOUND[kind][0], `${NOT_FOUND[kind][1]} ${id} does not exist.`);

export const invalid = (path: string, message: string): DomainError =>
  new DomainError('VALIDATION_FAILED', message, [{ path, message }]);

/** Another job of the project already has this key (the unique index said so). */
export const jobKeyTaken = (key: string): DomainError =>
  new DomainError('JOB_KEY_TAKEN', `Another job of the project already has the key '${key}'.`, [
    { path: 'key', message: 'is taken in this project' },
  ]);

/** No job has the key in the project (or the project is one the caller cannot see). */
export const jobKeyNotFound = (projectId: number, key: string): DomainError =>
  new DomainError('JOB_NOT_FOUND', `Project ${projectId} has no job with key '${key}'.`);
