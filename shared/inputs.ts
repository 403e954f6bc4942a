import type { Metadata } from './models.js';
import type { InitialStatus, RunStatus } from './run-status.js';

/**
 * What the services accept, as plain domain types. The HTTP layer validates requests with its own
 * wire schemas (functions/http/schemas.ts) whose output is assignable to these; the domain never sees
 * an HTTP shape.
 */
/** The sweeper's limits, in whole seconds; null clears one. */
export interface JobLimitsInput {
  heartbeatTimeoutSeconds?: number | null;
  maxDurationSeconds?: number | null;
  pendingTimeoutSeconds?: number | null;
  /** When a run is expected (validated: shared/schedules.ts), its time zone and grace. */
  schedule?: string | null;
  timezone?: string | null;
  graceSeconds?: number | null;
}

export interface JobCreateInput extends JobLimitsInput {
  name: string;
  /** A valid job key (shared/job-keys.ts); derived from the name when absent. */
  key?: string;
  description?: string | null;
  type?: string | null;
  projectId?: number;
}

export interface JobUpdateInput extends JobLimitsInput {
  name?: string;
  key?: string;
  description?: string | null;
  type?: string | null;
  archived?: boolean;
}

/** PUT /jobs/by-key/{key}: the job's fields but its key (the path's) and project (the query's). */
export type JobPutInput = Omit<JobCreateInput, 'key' | 'projectId' | 'name'> & { name?: string };

export interface RunCreateInput {
  status?: InitialStatus;
  metadata?: Metadata | null;
}

/** Timestamps are ISO-8601 strings, validated by the HTTP layer. */
export interface RunUpdateInput {
  status?: RunStatus;
  errorMessage?: string | null;
  metadata?: Metadata | null;
  exitCode?: number | null;
  /** The tail of a command's output, at most RUN_OUTPUT_MAX_LENGTH characters. */
  output?: string | null;
  startedAt?: string;
  finishedAt?: string;
}

/** The longest run output kept, in characters (UTF-16 code units, as JavaScript counts). */
export const RUN_OUTPUT_MAX_LENGTH = 65_536;
