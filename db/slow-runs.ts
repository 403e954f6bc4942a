import { sql, type SQL } from 'drizzle-orm';
import { SLOW_FACTOR, SLOW_MIN_SAMPLE, SLOW_SAMPLE_RUNS } from '../shared/slow-runs.js';

/**
 * The SQL copy of shared/slow-runs.ts (compared by db/slow-runs.test.ts). Its threshold as a
 * scalar subquery correlated on a run (`outer`: the table or alias whose job_id and id it
 * reads): SLOW_FACTOR x the nearest-rank p95 of the job's last
 * SLOW_SAMPLE_RUNS finished durations, the run itself excluded; NULL below SLOW_MIN_SAMPLE runs.
 *
 * One indexed probe: the newest finished runs of the job are read backwards from
 * job_runs_job_finished_idx (job_id, finished_at, id), at most SLOW_SAMPLE_RUNS of them (plus
 * the few without a duration, cancelled before they started, that the filter skips); the p95 is
 * taken over those few rows by a window. Rank ceil(0.95 n) is `(95 * n + 99) / 100` in integers.
 */
export const slowThresholdSql = (outer: string): SQL =>
  sql.raw(thresholdOf(`${outer}.job_id`, `AND p.id <> ${outer}.id`));

/**
 * The same threshold for a job (`jobId`: an SQL expression) rather than one of its runs: a run
 * still RUNNING has no finished_at, so it is never in its own sample and the two agree. The
 * sweep computes it once per job, not once per open run.
 */
export const jobSlowThresholdSql = (jobId: string): SQL => sql.raw(thresholdOf(jobId, ''));

const thresholdOf = (jobId: string, excludeRun: string) => `(SELECT ${SLOW_FACTOR} * d FROM (
    SELECT d, row_number() OVER (ORDER BY d) AS rank, count(*) OVER () AS n FROM (
      SELECT p.duration_ms AS d FROM job_runs p
      WHERE p.job_id = ${jobId} AND p.finished_at IS NOT NULL
        AND p.duration_ms IS NOT NULL ${excludeRun}
      ORDER BY p.finished_at DESC, p.id DESC LIMIT ${SLOW_SAMPLE_RUNS}))
    WHERE n >= ${SLOW_MIN_SAMPLE} AND rank = (95 * n + 99) / 100)`;

/**
 * A cheap lower bound of the threshold: SLOW_FACTOR x the job's SLOW_MIN_SAMPLE-th smallest
 * duration over all its history, the SLOW_MIN_SAMPLE-th entry of job_runs_job_duration_idx
 * (job_id, duration_ms) (SQLite reads those few rows too: the column is virtual). It is a bound because the sample's p95 rank is at least
 * SLOW_MIN_SAMPLE, and the k-th smallest of a subset (the last 50) is at least the k-th smallest
 * of the whole; NULL (fewer runs than that) means no run can be slow. A run at or under it is
 * not slow, and the exact threshold's ~50 row reads are skipped: most runs of a steady job.
 */
const slowFloorSql = (outer: string): SQL => jobSlowFloorSql(`${outer}.job_id`);

/** The same floor for a job (`jobId`: an SQL expression). */
export const jobSlowFloorSql = (jobId: string): SQL =>
  sql.raw(`(SELECT ${SLOW_FACTOR} * f.duration_ms FROM job_runs f
    WHERE f.job_id = ${jobId} AND f.duration_ms IS NOT NULL
    ORDER BY f.duration_ms LIMIT 1 OFFSET ${SLOW_MIN_SAMPLE - 1})`);

/**
 * Whether a run of `outer` (table or alias) that has run `durationMs` (an SQL expression; NULL:
 * never started) is slow: 0 at or under the floor, else the exact threshold decides. SQLite
 * evaluates CASE branches lazily, so the exact subquery runs only above the floor.
 */
export const isSlowSql = (outer: string, durationMs: SQL): SQL =>
  sql`CASE WHEN ${durationMs} IS NULL OR coalesce(${durationMs} <= ${slowFloorSql(outer)}, 1) THEN 0
    ELSE coalesce(${durationMs} > ${slowThresholdSql(outer)}, 0) END`;

/**
 * The `slow` a finishing UPDATE writes: kept once set (run.slow fires once, when it turns true,
 * even if the sweep flagged the run while it was still RUNNING), else whether the finished
 * duration (`durationMs`, an expression over the new timestamps) is above the threshold.
 */
export const finishedSlowSql = (durationMs: SQL): SQL =>
  sql`CASE WHEN "job_runs"."slow" = 1 THEN 1 ELSE ${isSlowSql('"job_runs"', durationMs)} END`;
