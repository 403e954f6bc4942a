/**
 * The duration chart's scales, chosen from the runs it shows (pure, so tested apart from uPlot):
 * the time axis with room either side of the runs, and the duration axis in a unit that fits
 * them, from 0 to a round number above the longest.
 */

/** Runs closer together than this are shown over this much time, so ticks read as clock times. */
export const MIN_SPAN_SECONDS = 600;
/** A single instant (a new job's first run): an hour either side. */
export const SINGLE_INSTANT_SECONDS = 3600;
/** Room either side of the runs, as a share of their span: the newest is not on the edge. */
const PAD = 0.04;

/** The x range (Unix seconds) for runs created at `xs` (any order); null when there are none. */
export function timeRange(xs: readonly number[]): [number, number] | null {
  if (xs.length === 0) return null;
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  if (min === max) return [min - SINGLE_INSTANT_SECONDS, max + SINGLE_INSTANT_SECONDS];
  const pad = (max - min) * PAD;
  const span = max - min + 2 * pad;
  if (span >= MIN_SPAN_SECONDS) return [min - pad, max + pad];
  const middle = (min + max) / 2;
  return [middle - MIN_SPAN_SECONDS / 2, middle + MIN_SPAN_SECONDS / 2];
}

export type DurationUnit = 'ms' | 's' | 'min' | 'h';

export interface DurationScale {
  unit: DurationUnit;
  /** Milliseconds in one unit: the chart plots `ms / perUnit`. */
  perUnit: number;
  /** The top of the axis, in the unit (the bottom is 0). */
  max: number;
}

const UNITS: Array<{ unit: DurationUnit; perUnit: number; below: number }> = [
  { unit: 'ms', perUnit: 1, below: 1_000 },
  { unit: 's', perUnit: 1_000, below: 120_000 },
  { unit: 'min', perUnit: 60_000, below: 7_200_000 },
  { unit: 'h', perUnit: 3_600_000, below: Infinity },
];

/** The next of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ at or above `value` (> 0). */
function roundUp(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * power >= value * 0.9999)!;
  return +(step * power).toPrecision(6);
}

/**
 * The duration axis for these durations (ms; the runs', the p50 and p95): from 0 to a round
 * number 10% or more above the longest, so the longest is not on the edge, in ms below a second,
 * s below 2 minutes, min below 2 hours, else h (judged on that top, so 950 ms gives 0-1.2 s).
 */
export function durationScale(valuesMs: readonly number[]): DurationScale {
  const top = Math.max(0, ...valuesMs) * 1.1;
  const { unit, perUnit } = UNITS.find((u) => top < u.below)!;
  return { unit, perUnit, max: top > 0 ? roundUp(top / perUnit) : 1 };
}

/** A tick label in the scale's unit: `15 ms`, `2.5 s`, `12 min`. */
export const durationTick = (value: number, unit: DurationUnit): string =>
  `${+value.toFixed(3)} ${unit}`;
