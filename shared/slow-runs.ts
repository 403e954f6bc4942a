/**
 * Duration expectations (issue 14): a run is `slow` when it takes more than SLOW_FACTOR times
 * its job's p95 over the job's last SLOW_SAMPLE_RUNS finished runs. This is the rule's home; the
 * stores evaluate its SQL copy, db/slow-runs.ts (`jobSlowThresholdSql`, `isSlowSql`), which
 * db/slow-runs.test.ts compares with the functions here over generated histories.
 */

/** How many of the job's latest finished runs (with a duration) the p95 is taken over. */
export const SLOW_SAMPLE_RUNS = 50;

/**
 * Fewer finished runs than this and no run is slow: the p95 of a handful of runs says little,
 * and the second run of a job must not be "slow" because the first was quick.
 */
export const SLOW_MIN_SAMPLE = 10;

/** A run is slow above this many times the p95. */
export const SLOW_FACTOR = 3;

/**
 * The nearest-rank percentile's 1-based rank among `n` values sorted ascending: ceil(p/100 * n),
 * in integers (`(p * n + 99) / 100`) so SQL computes exactly the same without floating point.
 */
export const nearestRank = (percent: number, n: number): number =>
  Math.floor((percent * n + 99) / 100);

/**
 * The duration above which a run is slow, from the durations (ms) of the job's latest finished
 * runs, newest first (the run itself excluded); null when there are fewer than SLOW_MIN_SAMPLE.
 */
export function slowThresholdMs(latestDurations: readonly number[]): number | null {
  const sample = latestDurations.slice(0, SLOW_SAMPLE_RUNS);
  if (sample.length < SLOW_MIN_SAMPLE) return null;
  const sorted = [...sample].sort((a, b) => a - b);
  return SLOW_FACTOR * sorted[nearestRank(95, sorted.length) - 1]!;
}

/** Whether a run of `durationMs` (null: never started) is slow against `thresholdMs`. */
export const isSlow = (durationMs: number | null, thresholdMs: number | null): boolean =>
  durationMs !== null && thresholdMs !== null && durationMs > thresholdMs;

/** A RUNNING run the sweep flagged slow, as its statement returned it. */
export interface SlowRun {
  runId: number;
  jobId: number;
}
