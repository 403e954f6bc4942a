import type { ProjectScope, Scope } from './access.js';
import type { IdempotencyClaim } from './idempotency.js';
import type { Job, JobRun, Metadata, Project, RunDetail } from './models.js';
import type { SweptRun } from './heartbeats.js';
import type { SlowRun } from './slow-runs.js';
import type { JobHealth } from './job-health.js';
import type { JobListQuery, RunListQuery } from './list-queries.js';
import type { InitialStatus, RunStatus } from './run-status.js';

/** The sweeper's limits of a job, in seconds (null: none). */
export interface JobLimits {
  heartbeatTimeoutSeconds: number | null;
  maxDurationSeconds: number | null;
  pendingTimeoutSeconds: number | null;
}

/** When a run is expected: see shared/schedules.ts (validated by the service). */
export interface JobExpectation {
  schedule: string | null;
  timezone: string | null;
  graceSeconds: number | null;
}

export interface NewJob extends Partial<JobLimits>, Partial<JobExpectation> {
  projectId: number;
  key: string;
  name: string;
  description: string | null;
  type: string | null;
  /** The ping URL's secret; the store draws a random UUID (crypto.randomUUID) when absent. */
  pingUuid?: string;
  now: Date;
}

export interface JobChanges extends Partial<JobLimits>, Partial<JobExpectation> {
  key?: string;
  name?: string;
  description?: string | null;
  type?: string | null;
  archived?: boolean;
  updatedAt: Date;
}

/**
 * Every read and write of jobs and runs takes a project scope: null sees every project, a number
 * only that project's rows (another project's row looks exactly like a missing one).
 */
export interface JobRepository {
  /**
   * Throws DomainError JOB_KEY_TAKEN when the project already has a job with that key. With a
   * claim, the idempotency record is completed in the same commit as the job (a claim lost to a
   * takeover creates nothing and throws IDEMPOTENCY_KEY_IN_FLIGHT).
   */
  create(job: NewJob, claim?: IdempotencyClaim): Promise<Job>;
  findById(id: number, project?: ProjectScope): Promise<Job | null>;
  /** Whether the job exists in the scope, without reading anything else of it. */
  exists(id: number, project?: ProjectScope): Promise<boolean>;
  /** The job with this key in the project, or null. */
  findByKey(projectId: number, key: string): Promise<Job | null>;
  /** The job whose ping URL is `/ping/{uuid}`, in any project, or null. */
  findByPingUuid(uuid: string): Promise<Job | null>;
  /** The keys of project `projectId` that start with `prefix` (to pick a free derived key). */
  keysStartingWith(projectId: number, prefix: string): Promise<string[]>;
  /**
   * Applies the changes and returns the job, or null if it does not exist (in the scope). Throws
   * DomainError JOB_KEY_TAKEN when the new key belongs to another job of the project.
   */
  update(id: number, changes: JobChanges, project?: ProjectScope): Promise<Job | null>;
  /** At most `limit` jobs matching the filters, in (sort key, id) order, after the keyset. */
  list(query: JobListQuery): Promise<Job[]>;
  /**
   * At most `limit` jobs, in id order after `afterId`, whose health may differ from the one
   * recorded: every job whose health moves with time (`healthMovesWithTime`: only its schedule
   * can say), and any other only when the health its runs give differs from the recorded one.
   */
  listForHealth(afterId: number, limit: number): Promise<Job[]>;
  /**
   * Records health changes in one round trip (one batch), each once: a compare-and-set on the
   * health last read (`from`), so of two sweeps racing only one records a change. Returns the ids
   * of the jobs this call recorded. Callers keep `changes` to a page (HealthRecorder).
   */
  recordHealth(changes: readonly HealthChange[], at: Date): Promise<number[]>;
}

/** A job's health as read (`from`, null before the first recording) and as derived now (`to`). */
export interface HealthChange {
  jobId: number;
  from: JobHealth | null;
  to: JobHealth;
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
  exitCode?: number | null;
  output?: string | null;
}

/** What the run must still look like for an update to apply (compare-and-set). */
export interface RunExpectation {
  statuses: readonly RunStatus[];
  startedAt: Date | null;
}

export interface JobRunRepository {
  /**
   * Creates the run only if its job exists (in the scope) and is not archived, in one atomic
   * step; else null. With a claim, as `JobRepository.create`: the idempotency record is completed
   * in the same commit as the run.
   */
  createForActiveJob(
    run: NewRun,
    project?: ProjectScope,
    claim?: IdempotencyClaim,
  ): Promise<JobRun | null>;
  /** The run with its output (the only read that has it). */
  findById(id: number, project?: ProjectScope): Promise<RunDetail | null>;
  /**
   * One atomic conditional update: applies `changes` only if the run still matches `expected`,
   * and returns the updated run, or null when nothing matched (gone, or changed meanwhile).
   */
  updateIf(id: number, expected: RunExpectation, changes: RunChanges): Promise<RunDetail | null>;
  /**
   * At most `limit` runs matching the filters, in (sort key, id) order, after the keyset; without
   * their output, which a page never reads.
   */
  list(query: RunListQuery): Promise<JobRun[]>;
  /** Counts by status and duration figures of one job's runs created in [from, to). */
  windowStats(jobId: number, from: Date, to: Date): Promise<WindowCounts>;
  /** The `rank`-th smallest duration (0-based) among finished runs created in [from, to). */
  durationAtRank(jobId: number, from: Date, to: Date, rank: number): Promise<number | null>;
  /** The newest run of a job, optionally with a given status. */
  latest(jobId: number, status?: RunStatus): Promise<JobRun | null>;
  /**
   * Records a heartbeat at `at` in one conditional update: only on a PENDING or RUNNING run (in
   * the scope) whose stored heartbeat is older than its write interval (`heartbeatWriteIntervalMs`
   * of its job's timeout). True when it wrote; false for a missing, finished or throttled run.
   */
  recordHeartbeat(id: number, at: Date, project?: ProjectScope): Promise<boolean>;
}

/** What the sweeper needs from the store (db/run-sweeps.ts). */
export interface RunSweepRepository {
  /**
   * Fails at most `limit` lost runs as of `now` (FAILED, finishedAt = now, errorMessage = the
   * reason) in one compare-and-set statement, and returns them. Nothing else is touched: a run
   * that finished meanwhile no longer matches.
   */
  failLostRuns(now: Date, limit: number): Promise<SweptRun[]>;
  /**
   * Flags at most `limit` RUNNING runs, not yet slow, that have run longer than their job's slow
   * threshold as of `now` (shared/slow-runs.ts), in one compare-and-set statement; returns them.
   */
  flagSlowRuns(now: Date, limit: number): Promise<SlowRun[]>;
}

export interface WindowCounts {
  counts: Record<RunStatus, number>;
  /** Runs with a duration (started and finished). */
  durationCount: number;
  maxDurationMs: number | null;
}

/** Answers whether the store is reachable; throws when it is not. */
export type HealthProbe = () => Promise<void>;

export interface ProjectRepository {
  /** Creates the project, or returns null when the name is taken. */
  create(name: string, now: Date, pingKey: string): Promise<Project | null>;
  findById(id: number): Promise<Project | null>;
  /** The project whose ping key this is, or null. */
  findByPingKey(pingKey: string): Promise<Project | null>;
  /** Every project, oldest first (there are few). */
  list(): Promise<Project[]>;
}

/** A stored key: never the secret, only its hash and a short visible prefix. */
export interface ApiKeyRecord {
  id: number;
  prefix: string;
  name: string;
  scope: Scope;
  projectId: number | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewApiKey {
  hash: string;
  prefix: string;
  name: string;
  scope: Scope;
  projectId: number | null;
  createdAt: Date;
}

export interface ApiKeyRepository {
  create(key: NewApiKey): Promise<ApiKeyRecord>;
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  count(): Promise<number>;
  /** Marks the key revoked (keeping the first revocation time); null if it does not exist. */
  revoke(id: number, at: Date): Promise<ApiKeyRecord | null>;
  /** Records that a key was used at `at` (a later time only ever replaces an earlier one). */
  touch(id: number, at: Date): Promise<void>;
}
