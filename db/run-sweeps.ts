import { sql } from 'drizzle-orm';
import { LOST_RUN_REASONS, type LostRunReason, type SweptRun } from '../shared/heartbeats.js';
import type { SlowRun } from '../shared/slow-runs.js';
import type { RunSweepRepository } from '../shared/repositories.js';
import type { Database, Writes } from './database.js';
import { jobSlowFloorSql, jobSlowThresholdSql } from './slow-runs.js';

const reason = (text: LostRunReason) => sql.raw(`'${text}'`);

/**
 * A batch size written into the statement, not bound: better-sqlite3's SQLite (built with STAT4)
 * re-prepares a statement on every rebinding of a parameter the planner looked at, and it looks
 * at LIMIT's. Re-preparing the lost-run sweep (its triggers included) was most of a tick that
 * found nothing (docs/performance.md#hand-tuned-code). Both sweep statements take it. A batch size is one
 * of a few values, so a few texts.
 */
const batchLimit = (limit: number) => {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`bad batch size ${limit}`);
  return sql.raw(String(limit));
};

/**
 * Why run `r` of job `j` (aliases of rows with job_runs' and jobs' columns) is lost as of `now`,
 * or NULL: the rules of LOST_RUN_REASONS. A PENDING run's deadline counts from its creation; a
 * RUNNING run's from its start, the heartbeat one from its latest heartbeat. A null limit gives
 * a null deadline, never passed; of two passed deadlines the earlier names the reason, and a tie
 * is "timed out".
 */
const lostReasonSql = (now: number, r: string, j: string) => {
  const [run, job] = [sql.raw(r), sql.raw(j)];
  const pendingDeadline = sql`${run}.created_at + ${job}.pending_timeout_seconds * 1000`;
  const durationDeadline = sql`${run}.started_at + ${job}.max_duration_seconds * 1000`;
  const heartbeatDeadline = sql`max(${run}.started_at, coalesce(${run}.last_heartbeat_at, ${run}.started_at))
    + ${job}.heartbeat_timeout_seconds * 1000`;
  return sql`CASE
    WHEN ${run}.status = 'PENDING' THEN
      CASE WHEN ${pendingDeadline} < ${now} THEN ${reason(LOST_RUN_REASONS.pending)} END
    WHEN ${durationDeadline} < ${now}
      AND coalesce(${heartbeatDeadline} >= ${durationDeadline}, 1)
      THEN ${reason(LOST_RUN_REASONS.duration)}
    WHEN ${heartbeatDeadline} < ${now} THEN ${reason(LOST_RUN_REASONS.heartbeat)}
  END`;
};

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
 * Cost per tick is per job, not per open run. One pass over jobs keeps those with a limit
 * (`limited`, MATERIALIZED so SQLite cannot fold it back into a lookup per run); then, for each,
 * only the runs that can be lost are read. Every deadline is at or after the run's created_at
 * (a run starts after it is created, and beats after it starts), so under limit T a lost run was
 * created before `now - T`: a range of job_runs_job_status_created_idx per job and status, with
 * T the pending limit for PENDING runs and the smaller of max duration and heartbeat timeout for
 * RUNNING ones. A job without limits is never joined to its runs, nor is a run younger than its
 * job's smallest limit. (A RUNNING run whose client PATCHed its startedAt to before its creation
 * is seen only from `created_at + T`: late by at most the difference.) The exact rules then run
 * over those candidates, and the lost ones are written by primary key through `id IN (...)`, the
 * reason computed again from the job in SET (at most `limit` rows); the `+` on the outer status
 * keeps SQLite (which has no statistics) from walking every open run through
 * job_runs_status_created_idx instead. The first version read every open run joined to its job,
 * every tick, whatever the limits: slow at the bench's 200,000 RUNNING runs (or a fleet of stuck
 * reporters; docs/performance.md#hand-tuned-code). db/query-plans.test.ts holds the plan.
 */
const failLostRunsSql = (now: number, limit: number) => sql`
WITH limited AS MATERIALIZED (
  SELECT id, pending_timeout_seconds, max_duration_seconds, heartbeat_timeout_seconds,
    min(coalesce(max_duration_seconds, heartbeat_timeout_seconds),
      coalesce(heartbeat_timeout_seconds, max_duration_seconds)) AS running_timeout_seconds
  FROM jobs
  WHERE pending_timeout_seconds IS NOT NULL OR max_duration_seconds IS NOT NULL
    OR heartbeat_timeout_seconds IS NOT NULL
)
UPDATE job_runs
SET status = 'FAILED', finished_at = ${now},
  error_message = (SELECT ${lostReasonSql(now, 'job_runs', 'j')} FROM jobs j WHERE j.id = job_runs.job_id)
WHERE job_runs.id IN (
  SELECT id FROM (
    SELECT r.id AS id, ${lostReasonSql(now, 'r', 'l')} AS reason
    FROM limited l CROSS JOIN job_runs r ON r.job_id = l.id AND r.status = 'PENDING'
      AND r.created_at < ${now} - l.pending_timeout_seconds * 1000
    WHERE l.pending_timeout_seconds IS NOT NULL
    UNION ALL
    SELECT r.id AS id, ${lostReasonSql(now, 'r', 'l')} AS reason
    FROM limited l CROSS JOIN job_runs r ON r.job_id = l.id AND r.status = 'RUNNING'
      AND r.created_at < ${now} - l.running_timeout_seconds * 1000
    WHERE l.running_timeout_seconds IS NOT NULL
  )
  WHERE reason IS NOT NULL
  LIMIT ${batchLimit(limit)}
) AND +job_runs.status IN ('PENDING', 'RUNNING')
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
  LIMIT ${batchLimit(limit)}
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
