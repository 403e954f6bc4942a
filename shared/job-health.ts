import type { RunStatus } from './run-status.js';
import { nextAfter, parseSchedule } from './schedules.js';

/** The values jobs.health records; webhook triggers match on them, so they never change. */
export const JOB_HEALTHS = ['new', 'up', 'late', 'down', 'paused'] as const;
export type JobHealth = (typeof JOB_HEALTHS)[number];

/** Grace after the expected time when a job sets none: five minutes. */
export const DEFAULT_GRACE_SECONDS = 300;

/** What health is derived from: the job's expectation and its latest runs, read from the database. */
export interface HealthFacts {
  archived: boolean;
  schedule: string | null;
  timezone: string | null;
  graceSeconds: number | null;
  createdAt: Date;
  /** When the job's latest run was recorded (created); null: it never ran. */
  lastRunAt: Date | null;
  /** The status of the job's latest finished run; null: none finished yet. */
  lastFinishedStatus: RunStatus | null;
}

export interface HealthState {
  health: JobHealth;
  /** When the next run is expected (the schedule's next time after the latest run, or after creation). */
  nextExpectedAt: Date | null;
}

/**
 * A job's health at `now`:
 * - `paused`: archived (nothing is expected of it);
 * - `down`: its latest finished run FAILED, or a scheduled run is late past a second grace period
 *   (now ≥ nextExpectedAt + 2 × grace);
 * - `late`: the expected run has not been recorded within the grace (now ≥ nextExpectedAt + grace);
 * - `new`: it never ran (and is not late);
 * - `up`: otherwise.
 * A run recorded (of any status) moves the expectation to the schedule's next time after it, so a
 * late or down job is up again as soon as a run arrives (unless that run then fails).
 * Its SQL copy, the time aside, is db/job-health.ts `HEALTH_WITHOUT_TIME`.
 */
export function jobHealth(job: HealthFacts, now: Date): HealthState {
  const nextExpectedAt = nextExpected(job);
  if (job.archived) return { health: 'paused', nextExpectedAt: null };
  if (job.lastFinishedStatus === 'FAILED') return { health: 'down', nextExpectedAt };
  if (nextExpectedAt) {
    const { lateAt, downAt } = deadlinesAfter(nextExpectedAt, job.graceSeconds);
    if (now >= downAt) return { health: 'down', nextExpectedAt };
    if (now >= lateAt) return { health: 'late', nextExpectedAt };
  }
  return { health: job.lastRunAt ? 'up' : 'new', nextExpectedAt };
}

/** The two times at which time alone changes a job's health (see `jobHealth`). */
export interface HealthDeadlines {
  /** nextExpectedAt + grace: from then on the job is `late`. */
  lateAt: Date;
  /** nextExpectedAt + 2 × grace: from then on the job is `down`. */
  downAt: Date;
}

function deadlinesAfter(nextExpectedAt: Date, graceSeconds: number | null): HealthDeadlines {
  const graceMs = (graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
  return {
    lateAt: new Date(nextExpectedAt.getTime() + graceMs),
    downAt: new Date(nextExpectedAt.getTime() + 2 * graceMs),
  };
}

/** The job's late and down deadlines; null when time cannot change its health. */
export function healthDeadlines(job: HealthFacts): HealthDeadlines | null {
  if (!healthMovesWithTime(job)) return null;
  const nextExpectedAt = nextExpected(job);
  return nextExpectedAt && deadlinesAfter(nextExpectedAt, job.graceSeconds);
}

/**
 * The first deadline after `now` at which time alone changes the job's health (its `lateAt`,
 * else its `downAt`); null when none is left: no schedule, archived, failed, or already down.
 * Node's health timer (shared/services/health-timer.ts) waits for the earliest of these.
 */
export function nextHealthDeadline(job: HealthFacts, now: Date): Date | null {
  const deadlines = healthDeadlines(job);
  if (!deadlines) return null;
  if (now < deadlines.lateAt) return deadlines.lateAt;
  if (now < deadlines.downAt) return deadlines.downAt;
  return null;
}

/**
 * The healths to record, in order, to bring `recorded` to the job's health at `now`: none when
 * they agree, else the one derived, except that `late` is never skipped on the way to `down`: a
 * job recorded `up` or `new` found past its down deadline (a tick that came late, a Workers Cron
 * Trigger a minute apart) records `late` and then `down`, so job.late and then job.down are both
 * sent. A failed run makes a job `down` at once, without `late`: it did run. From `null` (the
 * baseline after an upgrade) or `paused` the derived health is recorded as it is.
 */
export function healthSteps(job: HealthFacts, recorded: JobHealth | null, now: Date): JobHealth[] {
  const { health } = jobHealth(job, now);
  if (health === recorded) return [];
  const overdue = health === 'down' && job.lastFinishedStatus !== 'FAILED';
  if (overdue && (recorded === 'up' || recorded === 'new')) return ['late', 'down'];
  return [health];
}

/**
 * Whether time alone can change the job's health: it has a schedule, is not archived, and its
 * latest finished run did not fail. Every other job's health is `jobHealth` at any `now`, so it
 * changes only when the job or its runs are written (see HealthRecorder). Its SQL copy, with
 * `jobHealth`'s for such jobs, is db/job-health.ts (compared by db/job-health.test.ts).
 */
export function healthMovesWithTime(job: HealthFacts): boolean {
  return job.schedule !== null && !job.archived && job.lastFinishedStatus !== 'FAILED';
}

/**
 * The last answers of `nextExpected`, by its inputs. Every sweep tick derives every scheduled job
 * again, and croner is slow at it (time zone data through Intl: parse and next time; the figures:
 * docs/performance.md#hand-tuned-code); a job's inputs change only when a run is recorded, so nearly
 * every tick's answer is the last one's. A pure function's memo (it cannot go stale: the key is
 * every input), per process or isolate; cleared when full, so it stays bounded.
 */
const nextExpectedMemo = new Map<string, number | null>();
const NEXT_EXPECTED_MEMO_SIZE = 20_000;

/** The schedule's next time after the latest run (or after creation); null without a schedule. */
export function nextExpected(job: HealthFacts): Date | null {
  if (!job.schedule) return null;
  const after = job.lastRunAt ?? job.createdAt;
  const key = `${job.timezone ?? ''}\n${job.schedule}\n${after.getTime()}`;
  let next = nextExpectedMemo.get(key);
  if (next === undefined) {
    next = computeNextExpected(job.schedule, job.timezone, after);
    if (nextExpectedMemo.size >= NEXT_EXPECTED_MEMO_SIZE) nextExpectedMemo.clear();
    nextExpectedMemo.set(key, next);
  }
  return next === null ? null : new Date(next);
}

function computeNextExpected(
  schedule: string,
  timezone: string | null,
  after: Date,
): number | null {
  try {
    return nextAfter(parseSchedule(schedule, timezone), after)?.getTime() ?? null;
  } catch {
    // Validated on write; a schedule this runtime cannot parse (an older tz database) expects nothing.
    return null;
  }
}
