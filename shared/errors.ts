/**
 * The domain's failure codes: what a service or a repository can refuse, and why. The HTTP
 * layer adds its own (authentication, limits, routing: functions/http/problem.ts's TransportCode) and
 * maps every code to a status in one table; the domain itself knows nothing of HTTP.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  JOB_NOT_FOUND: 'JOB_NOT_FOUND',
  RUN_NOT_FOUND: 'RUN_NOT_FOUND',
  PROJECT_NOT_FOUND: 'PROJECT_NOT_FOUND',
  KEY_NOT_FOUND: 'KEY_NOT_FOUND',
  WEBHOOK_NOT_FOUND: 'WEBHOOK_NOT_FOUND',
  CHANNEL_NOT_FOUND: 'CHANNEL_NOT_FOUND',
  /** No badge at this URL: an unknown badge key and an unknown job are the same answer. */
  BADGE_NOT_FOUND: 'BADGE_NOT_FOUND',
  JOB_ARCHIVED: 'JOB_ARCHIVED',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  RUN_FINISHED: 'RUN_FINISHED',
  CONCURRENT_UPDATE: 'CONCURRENT_UPDATE',
  PROJECT_NAME_TAKEN: 'PROJECT_NAME_TAKEN',
  /** Project 1 holds every job created without a project: it cannot be deleted. */
  PROJECT_IS_DEFAULT: 'PROJECT_IS_DEFAULT',
  JOB_KEY_TAKEN: 'JOB_KEY_TAKEN',
  IDEMPOTENCY_KEY_IN_FLIGHT: 'IDEMPOTENCY_KEY_IN_FLIGHT',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** An email channel on a server with no mail transport (SMTP_URL and SMTP_FROM unset). */
  MAIL_NOT_CONFIGURED: 'MAIL_NOT_CONFIGURED',
  /** The database's volume is full: the write was not made (reads still work). */
  STORAGE_FULL: 'STORAGE_FULL',
  /** GET /api/admin/backup where the database is not a file (D1, a libSQL server). */
  BACKUP_NOT_SUPPORTED: 'BACKUP_NOT_SUPPORTED',
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
  channel: ['CHANNEL_NOT_FOUND', 'Channel'],
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

/**
 * A write refused because the database's volume is full (db/storage.ts recognises the driver's
 * error). Nothing of the write was kept; the same request succeeds once space is freed.
 */
export const storageFull = (): DomainError =>
  new DomainError(
    'STORAGE_FULL',
    "The server's database volume is full, so this change was not saved. Reads still work; retry once space has been freed.",
  );

/** What a log line or a detail says of a caught value: an Error's message, anything else as text. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
