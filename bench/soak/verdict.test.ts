import { describe, expect, it } from 'vitest';
import { trend, verdict, warmupFor, type Sample } from './verdict.js';

/** A 10-minute soak sampled every 10 s, every figure flat unless `change` says otherwise. */
function series(change: (t: number, i: number) => Partial<Sample> = () => ({})): Sample[] {
  return Array.from({ length: 60 }, (_, i) => {
    const t = (i + 1) * 10;
    return {
      t,
      rssMiB: 120,
      heapUsedMiB: 40,
      loopP99Ms: 12,
      p50Ms: 3,
      p99Ms: 20,
      requests: 2000,
      errors: 0,
      rejected: 0,
      skipped: 0,
      walMiB: 4,
      hooks: 30,
      loadAverage: 1,
      ...change(t, i),
    };
  });
}

/** Deterministic noise in [-1, 1]. */
const noise = (i: number) => Math.sin(i * 12.9898) * 0.999;

describe('trend', () => {
  it('finds the slope per minute and the intercept of a straight line', () => {
    const line = trend([
      [0, 5],
      [60, 7],
      [120, 9],
    ]);
    expect(line.perMinute).toBeCloseTo(2);
    expect(line.intercept).toBeCloseTo(5);
    expect(line.t).toBe(Infinity);
  });

  it('gives a small t to a slope that is noise', () => {
    const flat = trend(series((_, i) => ({ p99Ms: 20 + 5 * noise(i) })).map((s) => [s.t, s.p99Ms]));
    expect(Math.abs(flat.t)).toBeLessThan(2);
  });
});

describe('verdict', () => {
  it('meets every goal on a flat series, skipping the first 2 minutes', () => {
    const result = verdict(series((t) => (t <= 120 ? { rssMiB: 60 + t / 4, p99Ms: 200 } : {})));
    expect(result.warmupSeconds).toBe(120);
    expect(result.rss.growth).toBe(0);
    expect(result.checks.map((c) => c.met)).toEqual([true, true, true, true]);
    expect(result.met).toBe(true);
  });

  it('misses the RSS goal when RSS grows 10% or more after the warm-up', () => {
    const result = verdict(series((t) => ({ rssMiB: 100 + Math.max(0, t - 120) / 40 })));
    expect(result.rss.afterWarmupMiB).toBeCloseTo(100.5);
    expect(result.rss.endMiB).toBeCloseTo(111.75);
    expect(result.checks[0]).toMatchObject({ met: false });
    expect(result.checks[0]!.measured).toMatch(
      /100\.5 → 111\.8 MiB \(\+11\.2%; trend 1\.5 MiB\/min\)/,
    );
    expect(result.met).toBe(false);
  });

  it('misses the p99 goal on a steady rise, and states the slope', () => {
    const result = verdict(series((t, i) => ({ p99Ms: 20 + t / 60 + noise(i) })));
    expect(result.p99.trend.perMinute).toBeCloseTo(1, 1);
    expect(result.checks[1]).toMatchObject({ met: false });
    expect(result.checks[1]!.measured).toMatch(/^slope (0\.9\d|1(\.0\d)?) ms\/min \(t = \d+/);
  });

  it('keeps the p99 goal when the p99 is noisy but flat, or rises too little to matter', () => {
    expect(verdict(series((_, i) => ({ p99Ms: 20 + 8 * noise(i) }))).checks[1]!.met).toBe(true);
    // Significant, but 1.6 ms over 8 minutes against a 20 ms median: under 20%.
    expect(verdict(series((t) => ({ p99Ms: 20 + t / 300 }))).checks[1]!.met).toBe(true);
  });

  it('misses the WAL goal at 64 MiB, during the warm-up too', () => {
    const result = verdict(series((t) => (t === 30 ? { walMiB: 64 } : {})));
    expect(result.walMaxMiB).toBe(64);
    expect(result.checks[2]).toMatchObject({ met: false, measured: 'at most 64 MiB' });
  });

  it('misses on any 5xx answer, failed request or skipped flow, and not on 4xx', () => {
    expect(verdict(series((t) => ({ rejected: 3, errors: t === 300 ? 1 : 0 }))).checks[3]).toEqual({
      name: 'errors',
      goal: 'no 5xx answers, no failed requests, no flows skipped',
      met: false,
      measured: '1 of 120,000 requests; 0 flows skipped',
    });
    expect(verdict(series((t) => ({ skipped: t === 300 ? 2 : 0 }))).checks[3]).toMatchObject({
      met: false,
      measured: '0 of 120,000 requests; 2 flows skipped',
    });
    expect(verdict(series(() => ({ rejected: 5 }))).checks[3]!.met).toBe(true);
  });

  it('shortens the warm-up of a short soak to a fifth, and refuses one too short to judge', () => {
    expect(warmupFor(60)).toBe(12);
    expect(warmupFor(3600)).toBe(120);
    expect(() => verdict(series().slice(0, 2))).toThrow(/samples after the warm-up/);
  });
});
