import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { RunStatus } from '../shared/run-status.js';
import { jobs } from './schema.js';

/**
 * The SQL copy of shared/job-health.ts, for the health tick's query (listForHealth): it reads
 * only the jobs whose health moves with time or whose recorded health is stale, so the copy must
 * agree with `jobHealth` and `healthMovesWithTime`; the health timer's read after a write
 * (listWrittenForHealth) selects the jobs that have deadlines (`healthDeadlines`) with it too.
 * db/job-health.test.ts compares them over every combination of the facts health is derived from.
 */

/** The status of the job's latest finished run, a seek into job_runs_job_finished_idx. */
export const LAST_FINISHED_STATUS = sql<RunStatus | null>`(SELECT r.status FROM job_runs r WHERE r.job_id = "jobs"."id" AND r.finished_at IS NOT NULL ORDER BY r.finished_at DESC, r.id DESC LIMIT 1)`;

/** `healthMovesWithTime`: a schedule, not archived, and the latest finished run did not fail. */
export const HEALTH_MOVES_WITH_TIME = and(
  isNotNull(jobs.schedule),
  eq(jobs.archived, false),
  sql`${LAST_FINISHED_STATUS} IS NOT 'FAILED'`,
)!;

/**
 * A job's health as its row and runs give it, the time aside: `jobHealth` for every job that
 * HEALTH_MOVES_WITH_TIME does not hold for (where it is exact).
 */
export const HEALTH_WITHOUT_TIME = sql<string>`CASE WHEN ${jobs.archived} THEN 'paused' WHEN ${LAST_FINISHED_STATUS} = 'FAILED' THEN 'down' WHEN EXISTS (SELECT 1 FROM job_runs r WHERE r.job_id = "jobs"."id") THEN 'up' ELSE 'new' END`;
