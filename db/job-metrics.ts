import type { JobMetricsRepository } from '../shared/repositories.js';
import { sql } from 'drizzle-orm';
import type { ProjectScope } from '../shared/access.js';
import { DURATION_BUCKETS, type JobMetrics } from '../shared/job-metrics.js';
import type { Database, Db } from './database.js';

type Row = Record<string, number | string | null>;

const bucketColumns = DURATION_BUCKETS.map((le) => `m.le_${le}`).join(', ');

/**
 * The scrape's one statement: every active job, its project's name, its counters row and the
 * health the sweep tick last recorded (a column of the job row: no runs are read).
 */
const listSql = (project: ProjectScope) => sql`
  SELECT j.id AS job_id, j.name AS job_name, p.name AS project,
    m.created_total, m.success_total, m.failed_total, m.cancelled_total, m.running,
    ${sql.raw(bucketColumns)}, m.duration_count, m.duration_sum_ms,
    m.last_success_at, m.last_failure_at, m.last_finished_status, j.health, j.health_changed_at
  FROM jobs j
  JOIN projects p ON p.id = j.project_id
  LEFT JOIN job_metrics m ON m.job_id = j.id
  WHERE j.archived = 0 ${project === null ? sql`` : sql`AND j.project_id = ${project}`}
  ORDER BY j.id`;

const num = (value: number | string | null | undefined) => Number(value ?? 0);
const date = (value: number | string | null | undefined) =>
  value === null || value === undefined ? null : new Date(Number(value));

/**
 * The job metrics from `job_metrics`, the table migration 0003's triggers keep current: one row
 * per job, so a scrape costs the same at a million runs as at ten.
 */
export class DrizzleJobMetricsRepository implements JobMetricsRepository {
  private readonly db: Db;

  constructor(database: Pick<Database, 'db'>) {
    this.db = database.db;
  }

  async list(project: ProjectScope): Promise<JobMetrics[]> {
    const rows = await this.db.all<Row>(listSql(project));
    return rows.map((row) => ({
      jobId: num(row.job_id),
      jobName: String(row.job_name),
      project: String(row.project),
      createdTotal: num(row.created_total),
      successTotal: num(row.success_total),
      failedTotal: num(row.failed_total),
      cancelledTotal: num(row.cancelled_total),
      running: num(row.running),
      buckets: DURATION_BUCKETS.map((le) => num(row[`le_${le}`])),
      durationCount: num(row.duration_count),
      durationSumMs: num(row.duration_sum_ms),
      lastSuccessAt: date(row.last_success_at),
      lastFailureAt: date(row.last_failure_at),
      lastFinishedStatus: (row.last_finished_status ?? null) as JobMetrics['lastFinishedStatus'],
      recordedHealth: (row.health ?? null) as JobMetrics['recordedHealth'],
      healthChangedAt: date(row.health_changed_at),
    }));
  }
}
