import { sql } from 'drizzle-orm';
import { LOST_RUN_REASONS, type LostRunReason, type SweptRun } from '../shared/heartbeats.js';
import type { SlowRun } from '../shared/slow-runs.js';
import type { RunSweepRepository } from '../shared/repositories.js';
import type { Database, Writes } from './database.js';
import { jobSlowFloorSql, jobSlowThresholdSql } from './slow-runs.js';

const reason = (text: LostRunReason) => sql.raw(`'${text}'`);

/**
 * The one statement that fails a batch of lost runs. Each run's deadlines are computed from its
 * job's limits (null limit: null deadline, never passed); the reason is the limit that passed
 * first (a tie is "timed out"). A deadline equal to `now` has not passed.
 *
 * Compare-and-set: the runs are picked and failed by the same UPDATE, and SQLite runs a write
 * statement whole under the database's write lock, so no other write (a PATCH finishing the run,
 * another process sweeping) lands between the pick and the change. A run that finished first is
 * no longer PENDING or RUNNING and is not picked; one that finishes after finds a FAILED run and
 * gets a 409. The outer WHERE repeats the status test to say so where the row is written.
 *
 * Plan: `job_runs_status_created_idx` (status IN ...) for the runs still open, the job by its
 * primary key (CROSS JOIN keeps SQLite from walking jobs instead), then each picked run by its
 * primary key; db/query-plans.test.ts holds it to that. It reads every open run of the database
 * (few: finished runs are never visited) and writes at most `limit`.
 */
const failLostRunsSql = (now: number, limit: number) => sql`
UPDATE job_runs
SET status = 'FAILED', finished_at = ${now}, error_message = lost.reason
FROM (
  SELECT id, reason FROM (
    SELECT id, CASE
        WHEN status = 'PENDING' THEN
          CASE WHEN pending_deadline < ${now} THEN ${reason(LOST_RUN_REASONS.pending)} END
        WHEN duration_deadline < ${now} AND coalesce(heartbeat_deadline >= duration_deadline, 1)
          THEN ${reason(LOST_RUN_REASONS.duration)}
        WHEN heartbeat_deadline < ${now} THEN ${reason(LOST_RUN_REASONS.heartbeat)}
      END AS reason
    FROM (
      SELECT r.id AS id, r.status AS status,
        r.created_at + j.pending_timeout_seconds * 1000 AS pending_deadline,
        r.started_at + j.max_duration_seconds * 1000 AS duration_deadline,
        max(r.started_at, coalesce(r.last_heartbeat_at, r.started_at))
          + j.heartbeat_timeout_seconds * 1000 AS heartbeat_deadline
      FROM job_runs r CROSS JOIN jobs j ON j.id = r.job_id
      WHERE r.status IN ('PENDING', 'RUNNING')
    )
  )
  WHERE reason IS NOT NULL
  LIMIT ${limit}
) AS lost
WHERE job_runs.id = lost.id AND job_runs.status IN ('PENDING', 'RUNNING')
RETURNING job_runs.id AS runId, job_runs.job_id AS jobId, job_runs.error_message AS reason`;

/**
 * The one statement that flags RUNNING runs as slow once they have run longer than their job's
 * threshold (db/slow-runs.ts), so run.slow is heard while the backup hangs, not only after it
 * ends. `slow = 0` in both WHEREs makes it a compare-and-set: a run is flagged once, by one
 * sweeping process, and the run.slow trigger (AFTER UPDATE OF slow, when it turns 1) fires once.
 *
 * Cost per tick is per job, not per open run: for each job with a RUNNING run, the cheap floor
 * (db/slow-runs.ts), then the exact threshold only for a job with a RUNNING run not yet slow
 * created before `now - floor` (MATERIALIZED CTEs, so SQLite cannot fold them back into per-run
 * subqueries), and only the runs created before `now - threshold` are read, a range of
 * job_runs_job_status_created_idx (a run started after it was created, so a younger one cannot
 * have run that long). The first version computed the threshold per RUNNING run, every tick:
 * with 200,000 runs RUNNING (a bench seed, or a fleet of stuck reporters) a tick held the event
 * loop for 10-16 s. The picked runs are written through `id IN (...)`, by primary key; the `+`
 * on the outer status keeps SQLite (which has no statistics) from walking every RUNNING run
 * through job_runs_status_created_idx instead, as it did with UPDATE ... FROM.
 */
const flagSlowRunsSql = (now: number, limit: number) => sql`
WITH floors AS MATERIALIZED (
  SELECT j.id AS job_id, ${jobSlowFloorSql('j.id')} AS floor
  FROM jobs j
  WHERE EXISTS (SELECT 1 FROM job_runs x WHERE x.job_id = j.id AND x.status = 'RUNNING')
),
thresholds AS MATERIALIZED (
  SELECT f.job_id AS job_id, ${jobSlowThresholdSql('f.job_id')} AS threshold
  FROM floors f
  WHERE f.floor IS NOT NULL AND EXISTS (
    SELECT 1 FROM job_runs y
    WHERE y.job_id = f.job_id AND y.status = 'RUNNING' AND y.created_at < ${now} - f.floor
      AND y.slow = 0)
)
UPDATE job_runs SET slow = 1
WHERE job_runs.id IN (
  SELECT r.id
  FROM thresholds t
  CROSS JOIN job_runs r ON r.job_id = t.job_id AND r.status = 'RUNNING'
    AND r.created_at < ${now} - t.threshold
  WHERE t.threshold IS NOT NULL AND r.slow = 0 AND r.started_at IS NOT NULL
    AND ${now} - r.started_at > t.threshold
  LIMIT ${limit}
) AND +job_runs.status = 'RUNNING' AND job_runs.slow = 0
RETURNING job_runs.id AS runId, job_runs.job_id AS jobId`;

/** The sweeper's statements over any driver (writes: group commit on better-sqlite3). */
export class DrizzleRunSweepRepository implements RunSweepRepository {
  private readonly writes: Writes;

  constructor(database: Pick<Database, 'writes'>) {
    this.writes = database.writes;
  }

  async failLostRuns(now: Date, limit: number): Promise<SweptRun[]> {
    const query = failLostRunsSql(now.getTime(), limit);
    const rows = await this.writes.run(() => this.writes.db.all<SweptRun>(query));
    // Drivers hand integers back as numbers (no column decoder runs on a raw statement).
    return rows.map((row) => ({
      runId: Number(row.runId),
      jobId: Number(row.jobId),
      reason: row.reason,
    }));
  }

  async flagSlowRuns(now: Date, limit: number): Promise<SlowRun[]> {
    const query = flagSlowRunsSql(now.getTime(), limit);
    const rows = await this.writes.run(() => this.writes.db.all<SlowRun>(query));
    return rows.map((row) => ({ runId: Number(row.runId), jobId: Number(row.jobId) }));
  }
}
