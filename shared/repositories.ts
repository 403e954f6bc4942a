import type { Job, JobRun, Metadata } from './models.js';
import type { InitialStatus, RunStatus } from './run-status.js';

export type ArchivedFilter = 'false' | 'true' | 'all';

/** Keyset window over an id-descending list: rows with `id < beforeId`, at most `limit` of them. */
export interface KeysetWindow {
  beforeId?: number;
  limit: number;
}

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
  /** Newest first (id descending). */
  list(filter: { archived: ArchivedFilter } & KeysetWindow): Promise<Job[]>;
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
  /** Newest first (id descending). */
  listByJob(filter: { jobId: number } & KeysetWindow): Promise<JobRun[]>;
}

/** Answers whether the store is reachable; throws when it is not. */
export type HealthProbe = () => Promise<void>;
