import { describe, expect, it } from 'vitest';
import { durationScale, durationTick, MIN_SPAN_SECONDS, timeRange } from './chart-scales';

describe('timeRange', () => {
  const day = 86_400;
  const t0 = Date.parse('2026-11-30T10:00:00Z') / 1000;

  it('leaves room either side of runs spread over days: the newest is not on the edge', () => {
    const [min, max] = timeRange([t0, t0 + 2 * day, t0 + 5 * day])!;
    expect(min).toBeLessThan(t0);
    expect(max).toBeGreaterThan(t0 + 5 * day);
    // 4% of the span either side.
    expect(max - (t0 + 5 * day)).toBeCloseTo(0.04 * 5 * day);
    expect(t0 - min).toBeCloseTo(0.04 * 5 * day);
  });

  it('shows runs milliseconds apart over ten minutes, centred: ticks are clock times', () => {
    const xs = [t0 + 56.874, t0 + 56.876, t0 + 56.879];
    const [min, max] = timeRange(xs)!;
    expect(max - min).toBe(MIN_SPAN_SECONDS);
    expect((min + max) / 2).toBeCloseTo(t0 + 56.8765);
  });

  it('keeps an hour either side of a single instant, and nothing for no runs', () => {
    expect(timeRange([t0, t0])).toEqual([t0 - 3600, t0 + 3600]);
    expect(timeRange([])).toBeNull();
  });
});

describe('durationScale', () => {
  it('milliseconds for sub-second durations, from 0 to a round number above the longest', () => {
    expect(durationScale([9, 14])).toEqual({ unit: 'ms', perUnit: 1, max: 20 });
    expect(durationScale([120, 480])).toEqual({ unit: 'ms', perUnit: 1, max: 600 });
  });

  it('seconds, minutes or hours as the longest asks, with headroom', () => {
    expect(durationScale([2_000, 3_000])).toEqual({ unit: 's', perUnit: 1_000, max: 4 });
    expect(durationScale([42_000, 58_000])).toEqual({ unit: 's', perUnit: 1_000, max: 80 });
    // The seeded ETL: ~5 min runs, one of 10 min 12 s.
    expect(durationScale([301_000, 612_000, 95_000])).toEqual({
      unit: 'min',
      perUnit: 60_000,
      max: 12,
    });
    expect(durationScale([5 * 3_600_000])).toEqual({ unit: 'h', perUnit: 3_600_000, max: 6 });
  });

  it('takes the next unit when the headroom crosses into it', () => {
    expect(durationScale([950])).toEqual({ unit: 's', perUnit: 1_000, max: 1.2 });
  });

  it('gives a 1-unit axis when there is nothing above 0', () => {
    expect(durationScale([])).toEqual({ unit: 'ms', perUnit: 1, max: 1 });
    expect(durationScale([0, 0])).toEqual({ unit: 'ms', perUnit: 1, max: 1 });
  });

  it('labels ticks in the unit, without float noise', () => {
    expect(durationTick(0.30000000000000004, 's')).toBe('0.3 s');
    expect(durationTick(15, 'ms')).toBe('15 ms');
  });
});
