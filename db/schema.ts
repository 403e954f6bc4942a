import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  sqliteTable,
  text,
  uniqueIndex,
  type SQLiteColumn,
} from 'drizzle-orm/sqlite-core';
import { DURATION_BUCKETS } from '../shared/job-metrics.js';

/**
 * The one schema, for every runtime (better-sqlite3, D1, libSQL). Timestamps are integer epoch
 * milliseconds: compact, index-friendly and exact for durations.
 */
/** Tenants: every job belongs to one. Migration 0002 creates `default` (id 1) for existing jobs. */
export const projects = sqliteTable('projects', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  // The secret of the slug ping form `/ping/{pingKey}/{jobKey}`; migration 0006 backfills it.
  pingKey: text('ping_key').unique(),
  // Days a finished run is kept (issue 25); null follows RUN_RETENTION_DAYS, 0 keeps everything.
  retentionDays: integer('retention_days'),
  // Status badges (issue 27): the read-only badge key, shown to admin keys, and its SHA-256, by
  // which a badge URL is looked up (never the key itself). Null until an admin turns badges on
  // (POST /api/projects/{id}/badge-key): migration 0013 gives no project one.
  badgeKey: text('badge_key'),
  badgeKeyHash: text('badge_key_hash').unique(),
});

export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // No REFERENCES: SQLite cannot add a foreign-key column with a non-null default in place, and
    // rebuilding jobs would rewrite every run's table on D1. Deleting a project deletes its jobs
    // first (db/project-deletion.ts), and the service checks that a project exists before a job
    // joins it.
    projectId: integer('project_id').notNull().default(1), // the `default` project
    name: text('name').notNull(),
    // A slug unique within the project (`nightly-backup`), so scripts address jobs without ids.
    // Nullable only because SQLite cannot add a NOT NULL column in place: migration 0004 derives
    // one for every existing job and the service always sets it.
    key: text('key'),
    description: text('description'),
    type: text('type'),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    // Limits the sweeper enforces on this job's runs; null means no limit.
    heartbeatTimeoutSeconds: integer('heartbeat_timeout_seconds'),
    maxDurationSeconds: integer('max_duration_seconds'),
    pendingTimeoutSeconds: integer('pending_timeout_seconds'),
    // When a run is expected (issue 14): a cron expression, `@hourly`, or `every 15m`; its IANA
    // time zone (null: UTC) and how long after the expected time a run may start.
    schedule: text('schedule'),
    timezone: text('timezone'),
    graceSeconds: integer('grace_seconds'),
    // The health the sweeper last recorded (new, up, late, down, paused) and since when, so a
    // change notifies once; null until first recorded.
    health: text('health'),
    healthChangedAt: integer('health_changed_at', { mode: 'timestamp_ms' }),
    // The secret of the Healthchecks-style ping URL `/ping/{uuid}`; migration 0006 gives every
    // existing job one.
    pingUuid: text('ping_uuid'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  // GET /jobs: one index per sort, led by the archived filter, so a page is a seek plus `limit`
  // rows. `type` and `q` filter within that walk (the jobs table stays small next to runs).
  (t) => [
    index('jobs_archived_created_idx').on(t.archived, t.createdAt, t.id),
    index('jobs_archived_updated_idx').on(t.archived, t.updatedAt, t.id),
    index('jobs_archived_name_idx').on(t.archived, t.name, t.id),
    index('jobs_type_idx').on(t.type, t.archived),
    // archived=all: the same sorts without the archived prefix.
    index('jobs_created_idx').on(t.createdAt, t.id),
    index('jobs_updated_idx').on(t.updatedAt, t.id),
    index('jobs_name_idx').on(t.name, t.id),
    // A project-scoped key's lists: its jobs, and the runs of its jobs (`job_id IN (...)`).
    index('jobs_project_idx').on(t.projectId, t.id),
    uniqueIndex('jobs_project_key_unique').on(t.projectId, t.key),
    uniqueIndex('jobs_ping_uuid_unique').on(t.pingUuid),
  ],
);

/**
 * A run list's two keyset indexes over a key that starts out null (per job and across jobs), both
 * partial: a run only enters them once the key is set.
 */
const onceSet = (name: string, key: SQLiteColumn, jobId: SQLiteColumn, id: SQLiteColumn) => [
  index(`job_runs_job_${name}_idx`)
    .on(jobId, key, id)
    .where(sql`${key} IS NOT NULL`),
  index(`job_runs_${name}_idx`)
    .on(key, id)
    .where(sql`${key} IS NOT NULL`),
];

export const jobRuns = sqliteTable(
  'job_runs',
  {
    // AUTOINCREMENT: ids are never reused, so id order is creation order and cursors stay valid.
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    status: text('status', {
      enum: ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED'],
    }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    // Derived by SQLite, so it can never disagree with the timestamps it comes from.
    durationMs: integer('duration_ms').generatedAlwaysAs(sql`finished_at - started_at`, {
      mode: 'virtual',
    }),
    errorMessage: text('error_message'),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>(),
    // What a wrapped command left: its exit code (null for a signal or when not reported) and the
    // tail of its combined output (size-limited by the API; never returned in list pages).
    exitCode: integer('exit_code'),
    output: text('output'),
    lastHeartbeatAt: integer('last_heartbeat_at', { mode: 'timestamp_ms' }),
    // Took more than 3x the job's p95 over its last 50 runs (issue 14).
    slow: integer('slow', { mode: 'boolean' }).notNull().default(false),
  },
  // Every list of runs is a keyset walk over (sort key, id): one index per sort key, per job and
  // across jobs, plus status-led ones for the status filter. Keys that start out null are
  // partial indexes: a run only enters them once it has started or finished.
  (t) => [
    index('job_runs_job_created_idx').on(t.jobId, t.createdAt, t.id),
    index('job_runs_job_status_created_idx').on(t.jobId, t.status, t.createdAt, t.id),
    index('job_runs_created_idx').on(t.createdAt, t.id),
    index('job_runs_status_created_idx').on(t.status, t.createdAt, t.id),
    ...onceSet('started', t.startedAt, t.jobId, t.id),
    ...onceSet('finished', t.finishedAt, t.jobId, t.id),
    ...onceSet('duration', t.durationMs, t.jobId, t.id),
    check(
      'job_runs_status_check',
      sql`${t.status} IN ('PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED')`,
    ),
  ],
);

/**
 * API keys. Only the SHA-256 of the secret is stored (`hash`, looked up by its unique index);
 * `prefix` is its first characters, enough for a person to tell keys apart.
 */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    hash: text('hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    name: text('name').notNull(),
    scope: text('scope', { enum: ['read', 'write', 'admin'] }).notNull(),
    projectId: integer('project_id').references(() => projects.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    // After this the key is refused like a revoked one (issue 25); null: it never expires.
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
  },
  (t) => [check('api_keys_scope_check', sql`${t.scope} IN ('read', 'write', 'admin')`)],
);

// One column per bucket of chronotrack_run_duration_seconds: `le_1` ... `le_86400`.
const bucketColumns = Object.fromEntries(
  DURATION_BUCKETS.map((le) => [`le${le}`, integer(`le_${le}`).notNull().default(0)]),
) as Record<`le${(typeof DURATION_BUCKETS)[number]}`, ReturnType<typeof integer>>;

/**
 * The Prometheus job metrics, one row per job that ever had a run: counters kept by SQLite
 * triggers on job_runs (migration 0003), so every write that changes a run's status updates its
 * job's row in the same statement, and therefore the same commit, on every driver. A scrape
 * reads these rows and never the runs. Buckets are cumulative (`le_60` counts every finished run
 * that took at most 60 s), as Prometheus exposes them.
 */
export const jobMetrics = sqliteTable('job_metrics', {
  jobId: integer('job_id')
    .primaryKey()
    .references(() => jobs.id, { onDelete: 'cascade' }),
  createdTotal: integer('created_total').notNull().default(0),
  successTotal: integer('success_total').notNull().default(0),
  failedTotal: integer('failed_total').notNull().default(0),
  cancelledTotal: integer('cancelled_total').notNull().default(0),
  running: integer('running').notNull().default(0),
  ...bucketColumns,
  durationCount: integer('duration_count').notNull().default(0),
  durationSumMs: integer('duration_sum_ms').notNull().default(0),
  lastSuccessAt: integer('last_success_at'),
  lastFailureAt: integer('last_failure_at'),
  lastFinishedAt: integer('last_finished_at'),
  lastFinishedStatus: text('last_finished_status'),
  // Bumped by every insert, update and delete of one of the job's runs (migration 0012's
  // triggers): what the summaries cache and the runs pages' ETags compare, so an unchanged job
  // is answered without reading its runs.
  runChanges: integer('run_changes').notNull().default(0),
});

/**
 * Idempotency-Key records (IETF httpapi-idempotency-key draft, Stripe's practice): one row per
 * (principal, key). `status` is null while the first request is in flight; once it finished, the
 * stored status and body are replayed to a retry with the same fingerprint. Rows expire after
 * 24 h (`expires_at`).
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // Who sent it: `key:<api key id>`, `admin`, or `anonymous`; a key never collides across them.
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    // Method, route and a hash of the body: the same key with another request is a 422.
    fingerprint: text('fingerprint').notNull(),
    status: integer('status'),
    body: text('body'),
    // The row the first request created (a run or a job), when it created one.
    resourceId: integer('resource_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('idempotency_keys_principal_key_unique').on(t.principal, t.key),
    index('idempotency_keys_expires_idx').on(t.expiresAt),
  ],
);

/**
 * Webhooks (issue 14): where to send which events. `events` is a JSON array of event types;
 * the outbox triggers of migration 0007 match it with instr() (the table is small). A webhook
 * bound to a job or a project gets only that one's events. Disabled by the dispatcher after a
 * delivery kept failing for the whole retry window, with the reason in `disabled_reason`.
 */
export const webhooks = sqliteTable(
  'webhooks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    url: text('url').notNull(),
    description: text('description'),
    events: text('events').notNull(),
    projectId: integer('project_id'),
    jobId: integer('job_id'),
    secret: text('secret').notNull(),
    /**
     * `webhook` (signed JSON, /api/webhooks) or a notification channel's type (slack, discord,
     * teams, ntfy, pagerduty: /api/channels, issue 24). A channel is a row here so the outbox
     * triggers fan events out to it in the write's own statement, like to any webhook, and the
     * dispatcher's lease, retries and disabling serve both; `url` is where it posts.
     */
    type: text('type').notNull().default('webhook'),
    /** A channel's name (webhooks have `description`). */
    name: text('name'),
    /** A channel's type-specific settings as JSON (secrets included: never shown whole). */
    config: text('config'),
    /** A channel's jobs, a JSON array of ids; null: every job (of its project). */
    jobIds: text('job_ids'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    disabledReason: text('disabled_reason'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('webhooks_project_idx').on(t.projectId, t.id)],
);

/**
 * The outbox: one row per event, written by a trigger inside the statement that changed the run
 * or job (so in its commit, on every driver), and only when an enabled webhook wants it.
 * `uid` is the Standard Webhooks `webhook-id`, the same on every attempt; `data` the payload's
 * `data` object, a snapshot taken when it happened.
 */
export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    uid: text('uid').notNull().unique(),
    type: text('type').notNull(),
    jobId: integer('job_id'),
    runId: integer('run_id'),
    data: text('data').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  // Retention deletes the oldest events (and, by cascade, their deliveries and attempts).
  (t) => [index('webhook_events_created_idx').on(t.createdAt)],
);

/**
 * One event to one webhook: pending until delivered (succeeded) or given up on (failed).
 * `lease_until` is the compare-and-set claim of a dispatcher delivering it now, so two processes
 * never send one attempt at once; a dispatcher that died lets its lease run out.
 */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    webhookId: integer('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    eventId: integer('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['pending', 'succeeded', 'failed', 'held'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
    leaseToken: text('lease_token'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt, t.id)
      .where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.id),
    // An event's deliveries: the cascade of an event's deletion finds them by this.
    index('webhook_deliveries_event_idx').on(t.eventId),
  ],
);

/** Every attempt of a delivery: the log of GET /api/webhooks/{id}/deliveries. */
export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: integer('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    // null: no response (refused, timed out, network error: see `error`).
    responseStatus: integer('response_status'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    // At most 1 KB of the response body; nothing more is kept.
    responseExcerpt: text('response_excerpt'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attempt)],
);
