import type { JobSummaryParams } from '../inputs.js';
import type { JobSummaryRepository } from '../repositories.js';
import type { ProjectScope } from '../access.js';
import type { Job, RecentRun } from '../models.js';
import {
  DEFAULT_STATS_WINDOW,
  resolveWindow,
  windowStats,
  zeroCounts,
  type WindowStats,
} from '../run-stats.js';
import type { JobService } from './job-service.js';
import type { JobSummaryCache, JobSummaryParts } from './job-summary-cache.js';

/** How many of each job's newest runs the jobs page draws. */
export const RECENT_RUNS_PER_JOB = 30;

export interface JobSummary {
  job: Job;
  /** Newest first, at most RECENT_RUNS_PER_JOB, whatever their age. */
  recentRuns: RecentRun[];
  stats: WindowStats;
}

export interface JobSummaryPage {
  from: Date;
  to: Date;
  data: JobSummary[];
  nextCursor: string | null;
}

/**
 * A page of jobs (the same list, filters and cursors as `JobService.list`) with each job's recent
 * runs and window stats: a fixed number of reads for the page, whatever its size, so the
 * dashboard's jobs page never asks once per job; the runs are read only for the jobs whose
 * summary the cache cannot vouch for (JobSummaryCache).
 */
export class JobSummaryService {
  constructor(
    private readonly jobs: JobService,
    private readonly summaries: JobSummaryRepository,
    private readonly now: () => Date,
    private readonly cache: JobSummaryCache,
  ) {}

  async list(params: JobSummaryParams, scope: ProjectScope): Promise<JobSummaryPage> {
    const { window = DEFAULT_STATS_WINDOW, ...listParams } = params;
    const { from, to } = resolveWindow({ window }, this.now());
    // The page first: it validates the cursor and applies the project scope; the run reads only
    // ever see the ids of jobs the caller may see.
    const page = await this.jobs.list(listParams, scope);
    const ids = page.data.map((job) => job.id);
    const parts = await this.parts(ids, from, to);
    const data = page.data.map((job): JobSummary => {
      const { recentRuns, window: w } = parts.get(job.id) ?? { recentRuns: [], window: undefined };
      return {
        job,
        recentRuns,
        stats: w
          ? windowStats(w.counts, {
              count: w.durationCount,
              p50: w.p50DurationMs,
              p95: w.p95DurationMs,
              max: w.maxDurationMs,
            })
          : windowStats(zeroCounts(), { count: 0, p50: null, p95: null, max: null }),
      };
    });
    return { from, to, data, nextCursor: page.nextCursor };
  }

  /** Each job's recent runs and window summary: from the cache, reading only the jobs that changed. */
  private async parts(
    ids: readonly number[],
    from: Date,
    to: Date,
  ): Promise<Map<number, JobSummaryParts>> {
    const parts = new Map<number, JobSummaryParts>();
    if (ids.length === 0) return parts;
    const freshness = await this.summaries.freshness(ids, to);
    const stale: number[] = [];
    for (const id of ids) {
      const cached = this.cache.get(id, from, to, freshness.get(id));
      if (cached) parts.set(id, cached);
      else stale.push(id);
    }
    if (stale.length === 0) return parts;
    const [recent, windows] = await Promise.all([
      this.summaries.recentRuns(stale, RECENT_RUNS_PER_JOB),
      this.summaries.windowSummaries(stale, from, to),
    ]);
    const runsByJob = new Map<number, RecentRun[]>();
    for (const run of recent) {
      const list = runsByJob.get(run.jobId) ?? [];
      list.push(run);
      runsByJob.set(run.jobId, list);
    }
    const windowByJob = new Map(windows.map((w) => [w.jobId, w]));
    for (const id of stale) {
      const read = { recentRuns: runsByJob.get(id) ?? [], window: windowByJob.get(id) };
      this.cache.set(id, from, to, freshness.get(id), read);
      parts.set(id, read);
    }
    return parts;
  }
}
