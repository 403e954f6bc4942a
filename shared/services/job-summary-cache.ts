import type { RecentRun } from '../models.js';
import type { JobRunsFreshness, JobWindowSummary } from '../repositories.js';

/** One job's part of a summaries page, as read from its runs for one window. */
export interface JobSummaryParts {
  recentRuns: RecentRun[];
  /** Undefined when no run of the job was created in the window. */
  window: JobWindowSummary | undefined;
}

interface Entry extends JobSummaryParts {
  runChanges: number;
  from: number;
  /** The oldest run in the window: once a window starts after it, that run has left. */
  leavesAt: number | null;
  /** The first run created at or after the window's end when it was read: a later window takes it in. */
  entersAt: number | null;
}

/**
 * Each job's recent runs and window summary, kept from one poll of the jobs page to the next
 * while they cannot have changed, so a page reads the runs of only the jobs that did.
 *
 * An entry read over [from, to) still holds for a later window [from', to') of the same length
 * when the job's run change counter (bumped by every insert, update and delete of its runs:
 * migration 0012's triggers, the SQL copy of this rule) is the same, no run has left (from' is
 * not past the oldest run of the window) and none has entered (to' is not past the first run
 * that was already at or after `to`). Runs created later bump the counter. The counter is read
 * before the runs, so a write racing the read only makes the entry stale early.
 *
 * The answer is the one the runs give, byte for byte (job-summary-cache.test.ts compares them
 * over random writes and clocks). Bounded to `capacity` entries, least recently used first out.
 */
export class JobSummaryCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 1_000) {}

  /** The parts still true for this window, or undefined when the job's runs must be read. */
  get(
    jobId: number,
    from: Date,
    to: Date,
    freshness: JobRunsFreshness | undefined,
  ): JobSummaryParts | undefined {
    const key = cacheKey(jobId, from, to);
    const entry = this.entries.get(key);
    if (!entry || !freshness) return undefined;
    const holds =
      entry.runChanges === freshness.runChanges &&
      from.getTime() >= entry.from &&
      (entry.leavesAt === null || from.getTime() <= entry.leavesAt) &&
      (entry.entersAt === null || to.getTime() <= entry.entersAt);
    if (!holds) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(
    jobId: number,
    from: Date,
    to: Date,
    freshness: JobRunsFreshness | undefined,
    parts: JobSummaryParts,
  ): void {
    // A job the freshness read did not find (deleted meanwhile) is not kept.
    if (!freshness) return;
    const key = cacheKey(jobId, from, to);
    this.entries.delete(key);
    this.entries.set(key, {
      ...parts,
      runChanges: freshness.runChanges,
      from: from.getTime(),
      leavesAt: parts.window?.oldestCreatedAt?.getTime() ?? null,
      entersAt: freshness.firstCreatedAtOrAfter?.getTime() ?? null,
    });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** One entry per job and window length: `7d` and `24h` views of a job are kept apart. */
const cacheKey = (jobId: number, from: Date, to: Date) =>
  `${jobId}:${to.getTime() - from.getTime()}`;
