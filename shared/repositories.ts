import type { ProjectScope, Scope } from './access.js';
import type { IdempotencyClaim, IdempotencyReservation } from './idempotency.js';
import type { JobMetrics } from './job-metrics.js';
import type { Job, JobRun, Metadata, Project, RecentRun, RunDetail } from './models.js';
import type { SweptRun } from './heartbeats.js';
import type { SlowRun } from './slow-runs.js';
import type { JobHealth } from './job-health.js';
import type { JobListQuery, RunListQuery } from './list-queries.js';
import type { InitialStatus, RunStatus } from './run-status.js';
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  Webhook,
  WebhookEventType,
} from './webhooks/model.js';
import type { Channel, ChannelConfig } from './channels/model.js';

/*
 * Every store interface of the domain, in one file: the services depend on these, db/'s Drizzle
 * repositories implement them, and db/stores.ts builds them all for one database.
 */

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
  /**
   * The job's run change counter (job_metrics.run_changes, bumped by every write to its runs), or
   * null when the job is not in the scope: what a runs page's ETag is made of.
   */
  runChanges(id: number, project?: ProjectScope): Promise<number | null>;
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
   * At most `limit` jobs whose health moves with time and that were written (created or changed)
   * at or after `since`, oldest write first: the jobs whose health deadlines a write may have
   * moved, for Node's health timer after each write (an index range, cheap however many jobs).
   */
  listWrittenForHealth(since: Date, limit: number): Promise<Job[]>;
  /**
   * Records health changes in one round trip (one batch), in order, each once: a compare-and-set
   * on the health last read (`from`), so of two sweeps racing only one records a change; a job's
   * `late` then `down` are two changes, the second on the first's value. Returns the changes this
   * call recorded, in order. Callers keep `changes` to a page (HealthRecorder).
   */
  recordHealth(changes: readonly HealthChange[], at: Date): Promise<HealthChange[]>;
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
  /**
   * `list` of one job's runs, with the job's run change counter read by the same statement (so it
   * is the counter of exactly these rows); null when the page is empty (the statement then has no
   * row to carry it).
   */
  listOfJob(
    query: RunListQuery & { jobId: number },
  ): Promise<{ runs: JobRun[]; runChanges: number | null }>;
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

/** What a probe of a reachable store found. */
export interface StoreHealth {
  /** Writes are refused for want of space (STORAGE_FULL) and none has succeeded since. */
  storageFull: boolean;
}

/** Answers whether the store is reachable (throws when it is not) and whether it takes writes. */
export type HealthProbe = () => Promise<StoreHealth>;

export interface ProjectRepository {
  /** Creates the project, or returns null when the name is taken. */
  create(name: string, now: Date, pingKey: string): Promise<Project | null>;
  findById(id: number): Promise<Project | null>;
  /** The project whose ping key this is, or null. */
  findByPingKey(pingKey: string): Promise<Project | null>;
  /** The project whose badge key has this SHA-256 (hex), or null. */
  findByBadgeKeyHash(hash: string): Promise<Project | null>;
  /** Gives it a new badge key (the old one stops at once); null when there is no such project. */
  setBadgeKey(id: number, badgeKey: string, badgeKeyHash: string): Promise<Project | null>;
  /** Every project, oldest first (there are few). */
  list(): Promise<Project[]>;
  /** Renames it or sets its retention; null when there is no such project or the name is taken. */
  update(id: number, changes: ProjectChanges): Promise<Project | null>;
  /** How many runs its jobs have now, and when the oldest kept one was created. */
  runsKept(id: number): Promise<{ count: number; oldestAt: Date | null }>;
  /**
   * The steps of deleting a project, each a short statement (no transaction: D1 has none), in the
   * order that leaves a repeatable state: a deletion cut short is finished by running it again.
   */
  deletion: ProjectDeletionSteps;
}

export interface ProjectDeletionSteps {
  /** Its webhooks and channels (bound to it or to one of its jobs): how many of each. */
  deleteHooks(projectId: number): Promise<{ webhooks: number; channels: number }>;
  /** At most `limit` runs of its jobs. */
  deleteRuns(projectId: number, limit: number): Promise<number>;
  /** At most `limit` of its jobs (their counters, and any run left, by cascade). */
  deleteJobs(projectId: number, limit: number): Promise<number>;
  /** Its keys' rows (revoke them first: shared/services/api-key-service.ts). */
  deleteKeys(projectId: number): Promise<number>;
  /** The project's row; false when it was gone already. */
  deleteProject(projectId: number): Promise<boolean>;
}

export interface ProjectChanges {
  name?: string;
  /** null: follow RUN_RETENTION_DAYS. */
  retentionDays?: number | null;
}

/** Which finished runs are old enough to delete: the server's default and the floor per job. */
export interface RunRetentionPolicy {
  /** RUN_RETENTION_DAYS, for a project whose `retentionDays` is null; 0 keeps everything. */
  defaultDays: number;
  /** RUN_RETENTION_MIN_RUNS: each job's newest runs kept however old. */
  minRuns: number;
}

/** The retention sweeps' statements (db/retention.ts), each one bounded batch. */
export interface RetentionRepository {
  /** Deletes at most `limit` finished runs past their project's retention; answers how many. */
  deleteExpiredRuns(now: Date, policy: RunRetentionPolicy, limit: number): Promise<number>;
  /**
   * Deletes at most `limit` webhook and channel events created before `before`, with their
   * deliveries and attempts; an event with a delivery still pending stays.
   */
  deleteEventsBefore(before: Date, limit: number): Promise<number>;
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
  /** When it stops working; null: never. */
  expiresAt: Date | null;
}

export interface NewApiKey {
  hash: string;
  prefix: string;
  name: string;
  scope: Scope;
  projectId: number | null;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface ApiKeyChanges {
  name?: string;
  /** null: never expires. */
  expiresAt?: Date | null;
}

export interface ApiKeyRepository {
  create(key: NewApiKey): Promise<ApiKeyRecord>;
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  count(): Promise<number>;
  /** Marks the key revoked (keeping the first revocation time); null if it does not exist. */
  revoke(id: number, at: Date): Promise<ApiKeyRecord | null>;
  /** Renames it or changes when it expires; null if it does not exist. */
  update(id: number, changes: ApiKeyChanges): Promise<ApiKeyRecord | null>;
  /** Records that a key was used at `at` (a later time only ever replaces an earlier one). */
  touch(id: number, at: Date): Promise<void>;
}

// Prometheus job metrics (shared/job-metrics.ts).

export interface JobMetricsRepository {
  /**
   * Every job that is not archived, in `project` (null: every project), with its counters (zero
   * for a job without runs). Reads one row per job, never the runs.
   */
  list(project: ProjectScope): Promise<JobMetrics[]>;
}

// Idempotency keys (shared/idempotency.ts).

/** What is stored for one (principal, key). */
export interface IdempotencyRecord {
  id: number;
  fingerprint: string;
  /** null while the first request is in flight. */
  status: number | null;
  /** The first response's body; null in flight, and briefly after a creation committed. */
  body: string | null;
  /** The row the first request created, when it created one. */
  resourceId: number | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface NewReservation {
  principal: string;
  key: string;
  fingerprint: string;
  now: Date;
  expiresAt: Date;
  /** An in-flight reservation made at or before this instant is abandoned. */
  abandonedBefore: Date;
}

export interface IdempotencyRepository {
  /**
   * One conditional INSERT: the key becomes this request's when it is new, expired, or an
   * abandoned reservation of the same request (a compare-and-set on its reservation instant).
   * null when a live record holds it.
   */
  reserve(reservation: NewReservation): Promise<IdempotencyReservation | null>;
  /** The unexpired record of a key, including a reservation made by a write not yet committed. */
  find(principal: string, key: string, now: Date): Promise<IdempotencyRecord | null>;
  /**
   * Stores the response while the reservation still holds: the status (unless the creation
   * already recorded it) and the body. False when the reservation was lost.
   */
  finish(reservation: IdempotencyReservation, status: number, body: string): Promise<boolean>;
  /** Forgets a reservation that produced nothing worth replaying, so a retry runs again. */
  release(reservation: IdempotencyReservation): Promise<void>;
  /** Deletes at most `limit` expired records, oldest first; returns how many. */
  deleteExpired(now: Date, limit: number): Promise<number>;
}

// The dashboard's jobs page: per-page reads, a fixed number of statements whatever the
// number of jobs.

/** One job's runs created in the stats window: counts and nearest-rank duration percentiles. */
export interface JobWindowSummary {
  jobId: number;
  counts: Record<RunStatus, number>;
  durationCount: number;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  maxDurationMs: number | null;
  /** The oldest createdAt among these runs: once a window starts after it, a run has left. */
  oldestCreatedAt: Date | null;
}

/** What tells whether a job's cached summary still holds (shared/services/job-summary-cache.ts). */
export interface JobRunsFreshness {
  /** The job's run change counter (migration 0012's triggers): 0 for a job that never had a run. */
  runChanges: number;
  /** The earliest createdAt at or after the asked instant: a run a later window will take in. */
  firstCreatedAtOrAfter: Date | null;
}

export interface JobSummaryRepository {
  /**
   * Per job, its run change counter and its first run created at or after `at`. Read before the
   * runs it vouches for: a write in between bumps the counter, so a summary is never tagged with a
   * counter newer than what it read.
   */
  freshness(jobIds: readonly number[], at: Date): Promise<Map<number, JobRunsFreshness>>;
  /** The newest `perJob` runs of each job (by createdAt, then id), newest first per job. */
  recentRuns(jobIds: readonly number[], perJob: number): Promise<RecentRun[]>;
  /** Per job, its runs created in [from, to); jobs without such runs may be left out. */
  windowSummaries(jobIds: readonly number[], from: Date, to: Date): Promise<JobWindowSummary[]>;
}

// Webhooks and their deliveries (shared/webhooks/model.ts).

export interface NewWebhook {
  url: string;
  description: string | null;
  events: WebhookEventType[];
  projectId: number | null;
  jobId: number | null;
  secret: string;
  createdAt: Date;
}

export interface WebhookChanges {
  url?: string;
  description?: string | null;
  events?: WebhookEventType[];
  enabled?: boolean;
}

/** A delivery a dispatcher holds the lease of, with what it needs to send it. */
export interface ClaimedDelivery {
  id: number;
  leaseToken: string;
  webhookId: number;
  /** `webhook`, or a channel's type (shared/channels/model.ts) with its `config` JSON. */
  type: string;
  config: string | null;
  url: string;
  secret: string;
  /** The event's job and run, when it has them. */
  jobId: number | null;
  runId: number | null;
  attempts: number;
  eventId: string;
  eventType: string;
  eventCreatedAt: Date;
  /** The payload's `data`, as JSON text (a snapshot taken when the event happened). */
  data: string;
}

/** The outcome of one attempt, and what happens next. */
export interface AttemptResult {
  delivery: ClaimedDelivery;
  attempt: Omit<DeliveryAttempt, 'attempt'>;
  /** succeeded, failed (given up) or pending with the next attempt's time. */
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  /** Set when giving up disables the webhook. */
  disableReason: string | null;
}

export interface WebhookRepository {
  create(webhook: NewWebhook): Promise<Webhook>;
  /** Webhooks of one project (and none of another), or all with null; oldest first. */
  list(projectId: number | null): Promise<Webhook[]>;
  findById(id: number): Promise<Webhook | null>;
  update(id: number, changes: WebhookChanges, now: Date): Promise<Webhook | null>;
  delete(id: number): Promise<boolean>;
  /** The newest deliveries of a webhook, each with its attempts. */
  deliveries(webhookId: number, limit: number): Promise<Delivery[]>;
  /** Writes a test event and its one delivery (due now); returns the delivery id. */
  enqueueTest(webhookId: number, data: string, now: Date): Promise<number>;
  /**
   * Compare-and-set: leases up to `limit` due deliveries of enabled webhooks (or only `only`) that
   * no live lease holds, in one statement, so two dispatchers never take the same one.
   */
  claimDue(
    now: Date,
    leaseUntil: Date,
    token: string,
    limit: number,
    only?: number,
  ): Promise<ClaimedDelivery[]>;
  /**
   * Whether `claimDue` would find anything now: one read on the partial index of pending
   * deliveries, no write lock, so probing after every write costs next to nothing.
   */
  hasDue(now: Date): Promise<boolean>;
  /** Logs the attempt and moves the delivery on, in one commit, if the lease is still ours. */
  record(result: AttemptResult, now: Date): Promise<void>;
  /** Gives up leases unattempted (a channel's later deliveries after one failed), if still ours. */
  release(deliveries: ClaimedDelivery[]): Promise<void>;
}

// Notification channels (shared/channels/model.ts): rows of the webhooks table with a type.

export interface NewChannel {
  name: string;
  config: ChannelConfig;
  events: WebhookEventType[];
  projectId: number | null;
  jobIds: number[] | null;
  createdAt: Date;
}

export interface ChannelChanges {
  name?: string;
  config?: ChannelConfig;
  events?: WebhookEventType[];
  jobIds?: number[] | null;
  enabled?: boolean;
}

/** What a message says beyond the event's snapshot, read when it is sent. */
export interface NotificationFacts {
  projectName: string | null;
  /** The run's output (its stored tail), for run events. */
  output: string | null;
  lastSuccessAt: Date | null;
  /** job.up: when the job's latest late or down event before this one happened. */
  downSince: Date | null;
}

/** The run.failed deliveries of a channel and job before a given one (the noise control). */
export interface FailureNotices {
  /** When the event of the latest one not held back happened; null: none yet. */
  lastNotifiedAt: Date | null;
  /** The ones held back since then: how many, since when. */
  held: { count: number; since: Date } | null;
}

export interface ChannelRepository {
  create(channel: NewChannel): Promise<Channel>;
  /** Channels of one project (and none of another), or all with null; oldest first. */
  list(projectId: number | null): Promise<Channel[]>;
  findById(id: number): Promise<Channel | null>;
  update(id: number, changes: ChannelChanges, now: Date): Promise<Channel | null>;
  delete(id: number): Promise<boolean>;
  notificationFacts(delivery: ClaimedDelivery): Promise<NotificationFacts>;
  failureNotices(delivery: ClaimedDelivery): Promise<FailureNotices>;
  /** Marks a leased delivery `held` (not sent, counted in the next message), if the lease is ours. */
  hold(delivery: ClaimedDelivery, now: Date): Promise<void>;
}
