import type { JobHealth } from '../job-health.js';
import type { RunStatus } from '../run-status.js';
import type { WebhookEventType } from './model.js';

/**
 * Which writes emit which webhook event. The rule runs in SQL: one trigger per event and write
 * (first db/migrations/0007_webhooks.sql, job.late and job.down changed by 0008_health_baseline.sql,
 * all recreated with the channels' job filter by 0009_channels.sql) inserts the event and its deliveries in the same statement as the write, so no write path can
 * forget one. This module is its TypeScript home: EVENT_TRIGGERS names every trigger, and
 * `runEvents` / `jobEvents` say what they emit; db/webhook-triggers.test.ts reads the triggers
 * from a migrated database and checks both against it over generated writes.
 */

/** The migration that last creates every trigger (with the channels' `job_ids` filter). */
const MIGRATION = '0009_channels.sql';

export interface EventTrigger {
  /** Its name in sqlite_master. */
  name: string;
  /** The migration that (last) creates it. */
  migration: string;
  table: 'job_runs' | 'jobs';
  /** `INSERT`, or the column whose UPDATE fires it. */
  on: 'INSERT' | 'status' | 'slow' | 'health';
  event: WebhookEventType;
}

const run = (name: string, on: EventTrigger['on'], event: WebhookEventType): EventTrigger => ({
  name,
  migration: MIGRATION,
  table: 'job_runs',
  on,
  event,
});

const job = (name: string, event: WebhookEventType): EventTrigger => ({
  name,
  migration: MIGRATION,
  table: 'jobs',
  on: 'health',
  event,
});

export const EVENT_TRIGGERS: readonly EventTrigger[] = [
  run('webhook_run_created', 'INSERT', 'run.created'),
  run('webhook_run_succeeded_created', 'INSERT', 'run.succeeded'),
  run('webhook_run_succeeded', 'status', 'run.succeeded'),
  run('webhook_run_failed_created', 'INSERT', 'run.failed'),
  run('webhook_run_failed', 'status', 'run.failed'),
  run('webhook_run_cancelled_created', 'INSERT', 'run.cancelled'),
  run('webhook_run_cancelled', 'status', 'run.cancelled'),
  run('webhook_run_slow', 'slow', 'run.slow'),
  job('webhook_job_late', 'job.late'),
  job('webhook_job_down', 'job.down'),
  job('webhook_job_up', 'job.up'),
];

/** A run's columns the run triggers read. */
export interface RunRow {
  status: RunStatus;
  slow: boolean;
}

const FINISHED_EVENTS: Partial<Record<RunStatus, WebhookEventType>> = {
  SUCCESS: 'run.succeeded',
  FAILED: 'run.failed',
  CANCELLED: 'run.cancelled',
};

/**
 * The events a write of a run emits (to the webhooks whose filters match): `before` null for an
 * insert. A run recorded already finished emits run.created and its outcome; a status change to
 * an outcome emits it once; `slow` turning true emits run.slow (never on insert).
 */
export function runEvents(before: RunRow | null, after: RunRow): WebhookEventType[] {
  const outcome = FINISHED_EVENTS[after.status];
  if (before === null) return ['run.created', ...(outcome ? [outcome] : [])];
  const events: WebhookEventType[] = [];
  if (outcome && before.status !== after.status) events.push(outcome);
  if (after.slow && !before.slow) events.push('run.slow');
  return events;
}

/**
 * The events a change of a job's recorded health emits. job.late and job.down fire only from a
 * recorded health (a first recording, from NULL, is a baseline: migration 0008); job.up fires
 * only on recovery from late or down.
 */
export function jobEvents(before: JobHealth | null, after: JobHealth | null): WebhookEventType[] {
  if (before === after) return [];
  if (after === 'late' && before !== null) return ['job.late'];
  if (after === 'down' && before !== null) return ['job.down'];
  if (after === 'up' && (before === 'late' || before === 'down')) return ['job.up'];
  return [];
}

/** What a webhook or channel row says about which jobs it wants (all null: every job). */
export interface TargetFilter {
  projectId: number | null;
  /** A webhook's one job. */
  jobId: number | null;
  /** A channel's jobs (migration 0009). */
  jobIds: number[] | null;
}

/**
 * Whether an event of `job` reaches a webhook or channel with `filter` (besides its `events`
 * and `enabled`): every trigger's `w.job_id`, `w.job_ids` and `w.project_id` conditions.
 */
export function targetsJob(filter: TargetFilter, job: { id: number; projectId: number }): boolean {
  return (
    (filter.jobId === null || filter.jobId === job.id) &&
    (filter.jobIds === null || filter.jobIds.includes(job.id)) &&
    (filter.projectId === null || filter.projectId === job.projectId)
  );
}
