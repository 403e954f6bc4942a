import type { ProjectScope } from './access.js';

/**
 * Upper bounds, in seconds, of the `chronotrack_run_duration_seconds` histogram's buckets: from a
 * second to a day, the range of jobs that cron, CI and batch systems run.
 */
export const DURATION_BUCKETS = [
  1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 21600, 43200, 86400,
] as const;

/** One job's counters as the database keeps them (db/migrations/0003_job_metrics.sql). */
export interface JobMetrics {
  jobId: number;
  jobName: string;
  /** The job's project, by name. */
  project: string;
  createdTotal: number;
  successTotal: number;
  failedTotal: number;
  cancelledTotal: number;
  /** Runs RUNNING now. */
  running: number;
  /** Cumulative bucket counts, one per DURATION_BUCKETS entry (finished runs with a duration). */
  buckets: number[];
  durationCount: number;
  durationSumMs: number;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  /** The status of the run that finished last (by finishedAt), null before any finished. */
  lastFinishedStatus: 'SUCCESS' | 'FAILED' | 'CANCELLED' | null;
}

export interface JobMetricsRepository {
  /**
   * Every job that is not archived, in `project` (null: every project), with its counters (zero
   * for a job without runs). Reads one row per job, never the runs.
   */
  list(project: ProjectScope): Promise<JobMetrics[]>;
}
