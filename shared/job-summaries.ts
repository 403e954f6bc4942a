import type { JobRun } from './models.js';
import type { RunStatus } from './run-status.js';

/**
 * What the dashboard's jobs page shows per job, read for a whole page of jobs at once: a fixed
 * number of statements whatever the number of jobs (no query per job).
 */

/** One bar of a job's strip of recent runs. */
export type RecentRun = Pick<JobRun, 'id' | 'jobId' | 'status' | 'createdAt' | 'durationMs'>;

/** One job's runs created in the stats window: counts and nearest-rank duration percentiles. */
export interface JobWindowSummary {
  jobId: number;
  counts: Record<RunStatus, number>;
  durationCount: number;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  maxDurationMs: number | null;
}

export interface JobSummaryRepository {
  /** The newest `perJob` runs of each job (by createdAt, then id), newest first per job. */
  recentRuns(jobIds: readonly number[], perJob: number): Promise<RecentRun[]>;
  /** Per job, its runs created in [from, to); jobs without such runs may be left out. */
  windowSummaries(jobIds: readonly number[], from: Date, to: Date): Promise<JobWindowSummary[]>;
}
