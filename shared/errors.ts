/**
 * Every failure the domain can explain. The HTTP layer maps each code to a status in one table
 * (functions/problem.ts); the domain itself knows nothing of HTTP.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'JOB_NOT_FOUND'
  | 'RUN_NOT_FOUND'
  | 'JOB_ARCHIVED'
  | 'INVALID_TRANSITION'
  | 'RUN_FINISHED'
  | 'CONCURRENT_UPDATE';

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

export const notFound = (kind: 'job' | 'run', id: number): DomainError =>
  new DomainError(
    kind === 'job' ? 'JOB_NOT_FOUND' : 'RUN_NOT_FOUND',
    `${kind === 'job' ? 'Job' : 'Run'} ${id} does not exist.`,
  );

export const invalid = (path: string, message: string): DomainError =>
  new DomainError('VALIDATION_FAILED', message, [{ path, message }]);
