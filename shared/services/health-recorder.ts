import { healthSteps, nextHealthDeadline } from '../job-health.js';
import type { Logger } from '../logger.js';
import type { HealthChange, JobRepository } from '../repositories.js';

/** One health change this process recorded. */
export type HealthTransition = HealthChange;

/**
 * Jobs one page reads at most, and so the most changes one batch writes: a bounded read, and a
 * bounded write lock per batch (better-sqlite3), at 10,000 jobs 40 round trips of each.
 */
export const HEALTH_PAGE = 250;

/**
 * Records each job's derived health in jobs.health when it differs from the one recorded, so a
 * change is seen (and, through triggers on that column, notified) once rather than on every
 * check. Part of the sweep tick.
 *
 * What a tick reads: a job's health moves with time only when it has a schedule (and is not
 * archived, and its latest finished run did not fail: `healthMovesWithTime`); croner alone can
 * say when such a job is late, so those are read and derived here every tick. Every other job's
 * health is fixed by its row and its runs (paused, down, up or new), which SQL can compute, so
 * the store reads such a job only when that health differs from the one recorded: after a run
 * of it was written, or it was archived. A steady tick over 10,000 unscheduled jobs therefore
 * ships no rows at all. (Recording those changes on the run path itself would make the tick
 * independent of unscheduled jobs, at the price of a second write in every run write; comparing
 * in SQL keeps the run path as it is.)
 *
 * How it writes: jobs are paged by id (keyset, `HEALTH_PAGE` at a time), and a page's changes go
 * in one batch, each a compare-and-set UPDATE on the value read: of several processes sweeping
 * one database at once, exactly one records a given change.
 */
export class HealthRecorder {
  constructor(
    private readonly jobs: Pick<
      JobRepository,
      'listForHealth' | 'recordHealth' | 'listWrittenForHealth'
    >,
    private readonly logger: Logger,
    /** Told the earliest deadline after each pass (Node's health timer); none on Workers. */
    private readonly deadlines?: HealthDeadlineListener,
  ) {}

  /**
   * Records every job's health as of `now`, each change through `healthSteps` (so `late`
   * before `down`, whatever time passed since the last pass), and tells the listener the
   * earliest deadline after `now` among the jobs it read: every job whose health moves with time.
   */
  async record(now: Date): Promise<HealthTransition[]> {
    const { recorded, earliest } = await this.recordPages(now);
    // A first recording (from null: jobs from before migration 0006, after the upgrade) is a
    // baseline, not news: one line for all of them rather than one per job (10,000 at 10,000).
    const baselines = recorded.filter((change) => change.from === null).length;
    if (baselines > 0) this.logger.info('job health baseline recorded', { jobs: baselines });
    this.deadlines?.planned(earliest, now);
    return recorded;
  }

  /**
   * The earliest health deadline among the jobs written since `since` (`now` when one of them
   * must be recorded already, or when more were written than a page holds): what a write may
   * have moved earlier than the last pass planned. One indexed read of the jobs written.
   */
  async nextDeadlineOfWritten(since: Date, now: Date): Promise<Date | null> {
    const written = await this.jobs.listWrittenForHealth(since, HEALTH_PAGE);
    if (written.length >= HEALTH_PAGE) return now;
    let earliest: Date | null = null;
    for (const job of written) {
      if (healthSteps(job, job.recordedHealth, now).length > 0) return now;
      earliest = earlier(earliest, nextHealthDeadline(job, now));
    }
    return earliest;
  }

  private async recordPages(
    now: Date,
  ): Promise<{ recorded: HealthTransition[]; earliest: Date | null }> {
    const recorded: HealthTransition[] = [];
    let earliest: Date | null = null;
    for (let afterId = 0; ;) {
      const page = await this.jobs.listForHealth(afterId, HEALTH_PAGE);
      const changes: HealthChange[] = [];
      for (const job of page) {
        earliest = earlier(earliest, nextHealthDeadline(job, now));
        let from = job.recordedHealth;
        for (const to of healthSteps(job, from, now)) {
          changes.push({ jobId: job.id, from, to });
          from = to;
        }
      }
      if (changes.length > 0) {
        for (const change of await this.jobs.recordHealth(changes, now)) {
          if (change.from !== null) this.logger.info('job health changed', { ...change });
          recorded.push(change);
        }
      }
      if (page.length < HEALTH_PAGE) return { recorded, earliest };
      afterId = page[page.length - 1]!.id;
    }
  }
}

/** Who waits for the next health deadline: Node's HealthTimer. */
export interface HealthDeadlineListener {
  /** After a pass as of `passAt`: the earliest deadline after it, null when none is pending. */
  planned(earliest: Date | null, passAt: Date): void;
}

const earlier = (a: Date | null, b: Date | null): Date | null =>
  a === null ? b : b === null || a <= b ? a : b;
