import { describe, expect, it } from 'vitest';
import { isoTime, isoTimeOrNull } from './iso-time.js';

const YEAR_10000 = Date.UTC(10000, 0, 1);

describe('isoTime', () => {
  it('gives toISOString’s string at the edges of days, months, leap years and the range', () => {
    const edges = [
      0,
      1,
      999,
      Date.UTC(1970, 0, 1, 23, 59, 59, 999),
      Date.UTC(1972, 1, 29, 12),
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2000, 1, 29),
      Date.UTC(2000, 2, 1),
      Date.UTC(2100, 1, 28, 23, 59, 59, 999),
      Date.UTC(2100, 2, 1),
      Date.UTC(2026, 11, 1, 17, 20, 0, 5),
      Date.UTC(2400, 1, 29),
      YEAR_10000 - 1,
    ];
    for (const ms of edges) expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
  });

  it('gives toISOString’s string for every day from 1970 to 2200, and for random instants to 9999', () => {
    for (let day = 0; day < 230 * 366; day++) {
      const date = new Date(day * 86_400_000 + ((day * 7_919_993) % 86_400_000));
      expect(isoTime(date)).toBe(date.toISOString());
    }
    let seed = 42;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (let i = 0; i < 200_000; i++) {
      const date = new Date(Math.floor(random() * YEAR_10000));
      if (isoTime(date) !== date.toISOString()) expect(isoTime(date)).toBe(date.toISOString());
    }
  });

  it('leaves years before 1970 and from 10000 on, and invalid dates, to toISOString', () => {
    for (const ms of [-1, Date.UTC(1969, 6, 20, 20, 17), Date.UTC(-1, 0, 1), YEAR_10000, 8.64e15]) {
      expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
    }
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('isoTimeOrNull keeps null for a timestamp not set', () => {
    expect(isoTimeOrNull(null)).toBeNull();
    expect(isoTimeOrNull(undefined)).toBeNull();
    expect(isoTimeOrNull(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });
});
