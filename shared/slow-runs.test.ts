import { describe, expect, it } from 'vitest';
import { isSlow, nearestRank, slowThresholdMs } from './slow-runs.js';

describe('the slow-run rule', () => {
  it('ranks by nearest rank: ceil(0.95 n) in integers', () => {
    expect([1, 10, 19, 20, 21, 39, 40, 50].map((n) => nearestRank(95, n))).toEqual([
      1, 10, 19, 19, 20, 38, 38, 48,
    ]);
    expect(nearestRank(50, 3)).toBe(2);
  });

  it('is 3x the p95 of the newest 50 durations, from 10 of them on', () => {
    expect(slowThresholdMs([])).toBeNull();
    expect(slowThresholdMs(Array(9).fill(1000))).toBeNull();
    expect(slowThresholdMs(Array(10).fill(1000))).toBe(3000);
    // 20 values 1..20: the 19th smallest.
    expect(slowThresholdMs(Array.from({ length: 20 }, (_, i) => i + 1))).toBe(57);
    // Only the newest 50 count (newest first): the 100 s runs before them are forgotten.
    const newest = [...Array(50).fill(10), ...Array(20).fill(100_000)];
    expect(slowThresholdMs(newest)).toBe(30);
  });

  it('is slow strictly above the threshold, never without a duration or a threshold', () => {
    expect(isSlow(3001, 3000)).toBe(true);
    expect(isSlow(3000, 3000)).toBe(false);
    expect(isSlow(null, 3000)).toBe(false);
    expect(isSlow(1_000_000, null)).toBe(false);
  });
});
