import type { JobHealth } from './job-health.js';

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
  /**
   * The health the sweep tick last recorded (jobs.health; null before it recorded any) and when.
   * Read rather than derived, so the scrape stays one statement that reads no runs.
   */
  recordedHealth: JobHealth | null;
  healthChangedAt: Date | null;
}

/** Recorded health that sets `chronotrack_job_up` to 0 until a run succeeds after it. */
const NOT_UP: ReadonlySet<JobHealth> = new Set(['late', 'down']);

/**
 * `chronotrack_job_up`: 1 when the job's last finished run succeeded, unless the sweep recorded
 * it `late` or `down` after that success (an expected run that did not start). A success after
 * the recording counts at once (the next tick records `up`), so only going down lags, by at most
 * one sweep interval.
 */
export function jobUp(
  job: Pick<
    JobMetrics,
    'lastFinishedStatus' | 'lastSuccessAt' | 'recordedHealth' | 'healthChangedAt'
  >,
): 0 | 1 {
  if (job.lastFinishedStatus !== 'SUCCESS') return 0;
  if (job.recordedHealth === null || !NOT_UP.has(job.recordedHealth)) return 1;
  const since = job.healthChangedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return (job.lastSuccessAt?.getTime() ?? 0) > since ? 1 : 0;
}
