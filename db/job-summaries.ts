import type { RecentRun } from '../shared/models.js';
import { and, count, desc, eq, gte, lt, max, min, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type {
  JobRunsFreshness,
  JobSummaryRepository,
  JobWindowSummary,
} from '../shared/repositories.js';
import { RUN_STATUSES, type RunStatus } from '../shared/run-status.js';
import { zeroCounts } from '../shared/run-stats.js';
import type { Database, Db } from './database.js';
import { jobMetrics, jobRuns, jobs } from './schema.js';

/**
 * The job ids of a page as one parameter (a JSON array read with `json_each`): the SQL text is
 * the same for every page, and D1's limit of 100 bound parameters never comes near.
 */
const idsParam = (jobIds: readonly number[]) =>
  sql`(SELECT value FROM json_each(${JSON.stringify(jobIds)}))`;

/**
 * The dashboard's per-page reads, each one statement for the whole page of jobs:
 *
 * - recent runs: SQLite has no LATERAL join, so each job of the page joins the runs whose id is in
 *   a correlated `... ORDER BY created_at DESC, id DESC LIMIT n` subquery: per job a seek into
 *   `job_runs_job_created_idx` that reads `n` index entries, never the job's whole history;
 * - window counts: one GROUP BY over `job_runs_job_created_idx`'s (job_id, created_at) range;
 * - percentiles: nearest-rank over the window's finished runs with window functions (the ⌈p × n⌉-th
 *   smallest, in integer arithmetic, so no math extension is needed on any driver).
 */
export class DrizzleJobSummaryRepository implements JobSummaryRepository {
  private readonly db: Db;

  constructor(database: Pick<Database, 'db'>) {
    this.db = database.db;
  }

  async freshness(jobIds: readonly number[], at: Date): Promise<Map<number, JobRunsFreshness>> {
    if (jobIds.length === 0) return new Map();
    const later = alias(jobRuns, 'later');
    // Per job a seek into job_runs_job_created_idx from `at`: no run is read when none is newer.
    const firstAfter = this.db
      .select({ createdAt: min(later.createdAt) })
      .from(later)
      .where(and(eq(later.jobId, jobs.id), gte(later.createdAt, at)));
    const rows = await this.db
      .select({
        jobId: jobs.id,
        runChanges: jobMetrics.runChanges,
        firstAfter: sql<number | null>`(${firstAfter})`,
      })
      .from(jobs)
      .leftJoin(jobMetrics, eq(jobMetrics.jobId, jobs.id))
      .where(sql`${jobs.id} IN ${idsParam(jobIds)}`);
    return new Map(
      rows.map((row) => [
        row.jobId,
        {
          runChanges: Number(row.runChanges ?? 0),
          firstCreatedAtOrAfter: row.firstAfter === null ? null : new Date(Number(row.firstAfter)),
        },
      ]),
    );
  }

  async recentRuns(jobIds: readonly number[], perJob: number): Promise<RecentRun[]> {
    if (jobIds.length === 0) return [];
    const newer = alias(jobRuns, 'newer');
    const newest = this.db
      .select({ id: newer.id })
      .from(newer)
      .where(eq(newer.jobId, jobs.id))
      .orderBy(desc(newer.createdAt), desc(newer.id))
      .limit(perJob);
    const rows = await this.db
      .select({
        id: jobRuns.id,
        jobId: jobRuns.jobId,
        status: jobRuns.status,
        createdAt: jobRuns.createdAt,
        durationMs: jobRuns.durationMs,
      })
      .from(jobs)
      .innerJoin(jobRuns, sql`${jobRuns.id} IN ${newest}`)
      .where(sql`${jobs.id} IN ${idsParam(jobIds)}`);
    // Newest first within each job, whatever order the join produced.
    return rows.sort(
      (a, b) => a.jobId - b.jobId || b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id,
    );
  }

  async windowSummaries(
    jobIds: readonly number[],
    from: Date,
    to: Date,
  ): Promise<JobWindowSummary[]> {
    if (jobIds.length === 0) return [];
    const inWindow = and(
      sql`${jobRuns.jobId} IN ${idsParam(jobIds)}`,
      gte(jobRuns.createdAt, from),
      lt(jobRuns.createdAt, to),
    );
    const countOf = (status: RunStatus) =>
      sql<number>`coalesce(sum(CASE WHEN ${jobRuns.status} = ${status} THEN 1 ELSE 0 END), 0)`.mapWith(
        Number,
      );
    const ranked = sql`SELECT ${jobRuns.jobId} AS job_id, ${jobRuns.durationMs} AS duration_ms,
      row_number() OVER (PARTITION BY ${jobRuns.jobId} ORDER BY ${jobRuns.durationMs}, ${jobRuns.id}) AS rn,
      count(*) OVER (PARTITION BY ${jobRuns.jobId}) AS n
      FROM ${jobRuns} WHERE ${inWindow} AND ${jobRuns.durationMs} IS NOT NULL`;
    const [totals, percentiles] = await Promise.all([
      this.db
        .select({
          jobId: jobRuns.jobId,
          ...(Object.fromEntries(RUN_STATUSES.map((s) => [s, countOf(s)])) as Record<
            RunStatus,
            ReturnType<typeof countOf>
          >),
          durationCount: count(jobRuns.durationMs),
          maxDurationMs: max(jobRuns.durationMs),
          oldestCreatedAt: min(jobRuns.createdAt),
        })
        .from(jobRuns)
        .where(inWindow)
        .groupBy(jobRuns.jobId),
      this.db.all<{ job_id: number; duration_ms: number; rn: number; n: number }>(
        sql`SELECT job_id, duration_ms, rn, n FROM (${ranked})
          WHERE rn = (n + 1) / 2 OR rn = (95 * n + 99) / 100`,
      ),
    ]);
    const byJob = new Map<number, JobWindowSummary>();
    for (const row of totals) {
      const counts = zeroCounts();
      for (const status of RUN_STATUSES) counts[status] = Number(row[status]);
      byJob.set(row.jobId, {
        jobId: row.jobId,
        counts,
        durationCount: row.durationCount,
        p50DurationMs: null,
        p95DurationMs: null,
        maxDurationMs: row.maxDurationMs ?? null,
        oldestCreatedAt: row.oldestCreatedAt ?? null,
      });
    }
    for (const row of percentiles) {
      const summary = byJob.get(Number(row.job_id));
      if (!summary) continue;
      const [rn, n] = [Number(row.rn), Number(row.n)];
      if (rn === Math.floor((n + 1) / 2)) summary.p50DurationMs = Number(row.duration_ms);
      if (rn === Math.floor((95 * n + 99) / 100)) summary.p95DurationMs = Number(row.duration_ms);
    }
    return [...byJob.values()];
  }
}
