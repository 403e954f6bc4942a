import { sql } from 'drizzle-orm';
import type { RetentionRepository, RunRetentionPolicy } from '../shared/repositories.js';
import type { Database, Writes } from './database.js';

const DAY_MS = 86_400_000;

/** A batch size written into the statement, not bound (see db/run-sweeps.ts's batchLimit). */
const batchLimit = (limit: number) => {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`bad batch size ${limit}`);
  return sql.raw(String(limit));
};

/**
 * One batch of runs past retention. `due` is each job under a retention (its project's
 * `retention_days`, or the server's default when that is null; 0 keeps everything) with its
 * cutoff; `kept`, those of them with a run finished before it (one seek each), with the oldest of
 * the runs the floor keeps (the `minRuns`-th newest: NULL when it has fewer,
 * so none of its runs goes). A run is deleted when it finished before the cutoff (open runs have
 * no `finished_at` and never are), and is older than that floor run. Candidates are a range of
 * job_runs_job_finished_idx per job, from its oldest finish, so a batch reads about what it
 * deletes. The job_metrics triggers fire on INSERT and UPDATE only: the counters /metrics exposes
 * never go down.
 */
const deleteExpiredRunsSql = (now: number, policy: RunRetentionPolicy, limit: number) => sql`
WITH due AS MATERIALIZED (
  SELECT j.id AS job_id,
    ${now} - coalesce(p.retention_days, ${policy.defaultDays}) * ${DAY_MS} AS cutoff
  FROM jobs j LEFT JOIN projects p ON p.id = j.project_id
  WHERE coalesce(p.retention_days, ${policy.defaultDays}) > 0
),
kept AS MATERIALIZED (
  SELECT due.job_id AS job_id, due.cutoff AS cutoff,
    (SELECT k.created_at FROM job_runs k WHERE k.job_id = due.job_id
      ORDER BY k.created_at DESC, k.id DESC LIMIT 1 OFFSET ${policy.minRuns - 1}) AS floor_at,
    (SELECT k.id FROM job_runs k WHERE k.job_id = due.job_id
      ORDER BY k.created_at DESC, k.id DESC LIMIT 1 OFFSET ${policy.minRuns - 1}) AS floor_id
  FROM due
  WHERE EXISTS (SELECT 1 FROM job_runs x WHERE x.job_id = due.job_id
    AND x.finished_at IS NOT NULL AND x.finished_at < due.cutoff)
)
DELETE FROM job_runs WHERE id IN (
  SELECT r.id FROM kept
  CROSS JOIN job_runs r ON r.job_id = kept.job_id
    AND r.finished_at IS NOT NULL AND r.finished_at < kept.cutoff
  WHERE kept.floor_id IS NOT NULL
    AND (r.created_at < kept.floor_at OR (r.created_at = kept.floor_at AND r.id < kept.floor_id))
    AND r.status IN ('SUCCESS', 'FAILED', 'CANCELLED')
  LIMIT ${batchLimit(limit)}
)
RETURNING id`;

/**
 * One batch of old events: the oldest first (webhook_events_created_idx), an event with a pending
 * delivery skipped (none can be that old: a delivery is retried for 7 days at most). Their
 * deliveries and attempts go by the foreign keys' ON DELETE CASCADE (webhook_deliveries_event_idx
 * finds them).
 */
const deleteEventsBeforeSql = (before: number, limit: number) => sql`
DELETE FROM webhook_events WHERE id IN (
  SELECT e.id FROM webhook_events e
  WHERE e.created_at < ${before}
    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')
  ORDER BY e.created_at
  LIMIT ${batchLimit(limit)}
)
RETURNING id`;

/** The retention sweeps' statements over any driver (writes: group commit on better-sqlite3). */
export class DrizzleRetentionRepository implements RetentionRepository {
  private readonly writes: Writes;

  constructor(database: Pick<Database, 'writes'>) {
    this.writes = database.writes;
  }

  async deleteExpiredRuns(now: Date, policy: RunRetentionPolicy, limit: number): Promise<number> {
    const query = deleteExpiredRunsSql(now.getTime(), policy, limit);
    const rows = await this.writes.run(() => this.writes.db.all<{ id: number }>(query));
    return rows.length;
  }

  async deleteEventsBefore(before: Date, limit: number): Promise<number> {
    const query = deleteEventsBeforeSql(before.getTime(), limit);
    const rows = await this.writes.run(() => this.writes.db.all<{ id: number }>(query));
    return rows.length;
  }
}
