import type { ProjectScope } from '../access.js';
import { invalid } from '../errors.js';
import { windowMs } from '../inputs.js';
import type { JobSummaryRepository, JobWindowSummary, RecentRun } from '../job-summaries.js';
import type { Job } from '../models.js';
import { RUN_STATUSES, type RunStatus } from '../run-status.js';
import type { JobListParams, JobService } from './job-service.js';

/** How many of each job's newest runs the jobs page draws. */
export const RECENT_RUNS_PER_JOB = 30;

const MAX_WINDOW_MS = 366 * 86_400_000;

export interface JobSummaryParams extends JobListParams {
  /** The stats window back from now (`7d` by default). */
  window?: string;
}

export interface JobSummary {
  job: Job;
  /** Newest first, at most RECENT_RUNS_PER_JOB, whatever their age. */
  recentRuns: RecentRun[];
  stats: {
    total: number;
    counts: Record<RunStatus, number>;
    successRate: number | null;
    durationMs: { count: number; p50: number | null; p95: number | null; max: number | null };
  };
}

export interface JobSummaryPage {
  from: Date;
  to: Date;
  data: JobSummary[];
  nextCursor: string | null;
}

const emptyWindow = (jobId: number): JobWindowSummary => ({
  jobId,
  counts: Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<
    RunStatus,
    number
  >,
  durationCount: 0,
  p50DurationMs: null,
  p95DurationMs: null,
  maxDurationMs: null,
});

/**
 * A page of jobs (the same list, filters and cursors as `JobService.list`) with each job's recent
 * runs and window stats: three reads for the page, whatever its size, so the dashboard's jobs
 * page never asks once per job.
 */
export class JobSummaryService {
  constructor(
    private readonly jobs: JobService,
    private readonly summaries: JobSummaryRepository,
    private readonly now: () => Date,
  ) {}

  async list(params: JobSummaryParams, scope: ProjectScope): Promise<JobSummaryPage> {
    const { window = '7d', ...listParams } = params;
    const to = this.now();
    const span = windowMs(window);
    if (span > MAX_WINDOW_MS) throw invalid('window', 'The window may span at most 366 days.');
    const from = new Date(to.getTime() - span);
    // The page first: it validates the cursor and applies the project scope; the run reads only
    // ever see the ids of jobs the caller may see.
    const page = await this.jobs.list(listParams, scope);
    const ids = page.data.map((job) => job.id);
    const [recent, windows] = await Promise.all([
      this.summaries.recentRuns(ids, RECENT_RUNS_PER_JOB),
      this.summaries.windowSummaries(ids, from, to),
    ]);
    const runsByJob = new Map<number, RecentRun[]>();
    for (const run of recent) {
      const list = runsByJob.get(run.jobId) ?? [];
      list.push(run);
      runsByJob.set(run.jobId, list);
    }
    const windowByJob = new Map(windows.map((w) => [w.jobId, w]));
    const data = page.data.map((job): JobSummary => {
      const w = windowByJob.get(job.id) ?? emptyWindow(job.id);
      const { SUCCESS, FAILED } = w.counts;
      return {
        job,
        recentRuns: runsByJob.get(job.id) ?? [],
        stats: {
          total: Object.values(w.counts).reduce((a, b) => a + b, 0),
          counts: w.counts,
          successRate: SUCCESS + FAILED === 0 ? null : SUCCESS / (SUCCESS + FAILED),
          durationMs: {
            count: w.durationCount,
            p50: w.p50DurationMs,
            p95: w.p95DurationMs,
            max: w.maxDurationMs,
          },
        },
      };
    });
    return { from, to, data, nextCursor: page.nextCursor };
  }
}
