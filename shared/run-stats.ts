import type { StatsWindow } from './inputs.js';
import { invalid } from './errors.js';
import { RUN_STATUSES, type RunStatus } from './run-status.js';

/**
 * A job's stats over a window of runs, the same for `GET /jobs/{id}/stats` (RunService.stats)
 * and the dashboard's `GET /jobs/summaries` (JobSummaryService.list): the window's bounds, the
 * counts, the success rate and the duration percentiles are computed here and nowhere else.
 */

/** A stats window relative to now: 1 to 9999 minutes, hours or days (`30m`, `24h`, `7d`). */
export const STATS_WINDOW = /^([1-9][0-9]{0,3})(m|h|d)$/;

/** The window when the caller names none. */
export const DEFAULT_STATS_WINDOW = '7d';

/** The longest window: a year, leap day included. */
export const MAX_WINDOW_MS = 366 * 86_400_000;

/** Milliseconds in a `window` value such as `7d`. */
export function windowMs(window: string): number {
  const [, amount, unit] = STATS_WINDOW.exec(window) ?? [];
  return Number(amount) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 'm' | 'h' | 'd'];
}

/** `window` back from `to` (default now), or from/to; at most 366 days, from before to. */
export function resolveWindow(window: StatsWindow, now: Date): { from: Date; to: Date } {
  const to = window.to ? new Date(window.to) : now;
  const from = window.from
    ? new Date(window.from)
    : new Date(to.getTime() - windowMs(window.window ?? DEFAULT_STATS_WINDOW));
  if (from >= to) throw invalid('from', 'from must be before to.');
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS)
    throw invalid('window', 'The window may span at most 366 days.');
  return { from, to };
}

export type RunCounts = Record<RunStatus, number>;

/** Every status with a count of 0: what a window without runs counts. */
export const zeroCounts = (): RunCounts =>
  Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as RunCounts;

/** Nearest-rank percentiles over the window's runs that have a duration (started and finished). */
export interface DurationStats {
  count: number;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

export interface WindowStats {
  /** Runs created in the window. */
  total: number;
  counts: RunCounts;
  /** SUCCESS / (SUCCESS + FAILED); null when neither occurred. */
  successRate: number | null;
  durationMs: DurationStats;
}

/** The stats of a window from its counts by status and its duration percentiles. */
export function windowStats(counts: RunCounts, durationMs: DurationStats): WindowStats {
  const { SUCCESS, FAILED } = counts;
  return {
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    counts,
    successRate: SUCCESS + FAILED === 0 ? null : SUCCESS / (SUCCESS + FAILED),
    durationMs,
  };
}
