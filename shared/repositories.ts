import type { Job, JobRun, Metadata } from './models.js';
import type { JobListQuery, RunListQuery } from './list-queries.js';
import type { InitialStatus, RunStatus } from './run-status.js';

export interface NewJob {
  name: string;
  description: string | null;
  type: string | null;
  now: Date;
}

export interface JobChanges {
  name?: string;
  description?: string | null;
  type?: string | null;
  archived?: boolean;
  updatedAt: Date;
}

export interface JobRepository {
  create(job: NewJob): Promise<Job>;
  findById(id: number): Promise<Job | null>;
  /** Applies the changes and returns the job, or null if it does not exist. */
  update(id: number, changes: JobChanges): Promise<Job | null>;
  /** At most `limit` jobs matching the filters, in (sort key, id) order, after the keyset. */
  list(query: JobListQuery): Promise<Job[]>;
}

export interface NewRun {
  jobId: number;
  status: InitialStatus;
  createdAt: Date;
  startedAt: Date | null;
  metadata: Metadata | null;
}

export interface RunChanges {
  status?: RunStatus;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  errorMessage?: string | null;
  metadata?: Metadata | null;
}

/** What the run must still look like for an update to apply (compare-and-set). */
export interface RunExpectation {
  statuses: readonly RunStatus[];
  startedAt: Date | null;
}

export interface JobRunRepository {
  /** Creates the run only if its job exists and is not archived (one atomic step); else null. */
  createForActiveJob(run: NewRun): Promise<JobRun | null>;
  findById(id: number): Promise<JobRun | null>;
  /**
   * One atomic conditional update: applies `changes` only if the run still matches `expected`,
   * and returns the updated run, or null when nothing matched (gone, or changed meanwhile).
   */
  updateIf(id: number, expected: RunExpectation, changes: RunChanges): Promise<JobRun | null>;
  /** At most `limit` runs matching the filters, in (sort key, id) order, after the keyset. */
  list(query: RunListQuery): Promise<JobRun[]>;
  /** Counts by status and duration figures of one job's runs created in [from, to). */
  windowStats(jobId: number, from: Date, to: Date): Promise<WindowStats>;
  /** The `rank`-th smallest duration (0-based) among finished runs created in [from, to). */
  durationAtRank(jobId: number, from: Date, to: Date, rank: number): Promise<number | null>;
  /** The newest run of a job, optionally with a given status. */
  latest(jobId: number, status?: RunStatus): Promise<JobRun | null>;
}

export interface WindowStats {
  counts: Record<RunStatus, number>;
  /** Runs with a duration (started and finished). */
  durationCount: number;
  maxDurationMs: number | null;
}

/** Answers whether the store is reachable; throws when it is not. */
export type HealthProbe = () => Promise<void>;
