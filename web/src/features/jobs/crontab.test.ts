import { describe, expect, it } from 'vitest';
import { crontabSchedule, PLACEHOLDER } from './crontab';

const field = (schedule: string | null, timezone: string | null = null) =>
  crontabSchedule(schedule, timezone).field;

describe('crontabSchedule', () => {
  it("copies five fields and crontab's own macros, which cron reads as ChronoTrack does", () => {
    expect(crontabSchedule('30 2 * * *', 'Europe/Berlin')).toEqual({
      kind: 'schedule',
      field: '30 2 * * *',
      zone: 'Europe/Berlin',
    });
    expect(field('0  9 * *   MON-FRI')).toBe('0 9 * * MON-FRI');
    for (const macro of ['@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly'])
      expect(field(macro)).toBe(macro);
    expect(field('@Annually')).toBe('@annually');
  });

  it('names the zone when the times depend on it (UTC for a job without one), not otherwise', () => {
    expect(crontabSchedule('0 3 * * *', null)).toMatchObject({ zone: 'UTC' });
    expect(crontabSchedule('@hourly', 'Asia/Kolkata')).toMatchObject({ zone: 'Asia/Kolkata' });
    // Every 5 or 15 minutes, every minute: the same minutes whatever the zone's offset.
    for (const schedule of ['*/5 * * * *', '*/15 * * * *', '* * * * *'])
      expect(crontabSchedule(schedule, 'Asia/Kathmandu')).toMatchObject({ zone: null });
    // Every 30 minutes is :00 and :30 in UTC, :15 and :45 in Kathmandu (UTC+5:45).
    expect(crontabSchedule('*/30 * * * *', null)).toMatchObject({ zone: 'UTC' });
    expect(crontabSchedule('*/5 9-17 * * *', null)).toMatchObject({ zone: 'UTC' });
  });

  it('drops a seconds field of 0, and says so', () => {
    expect(crontabSchedule('0 */5 * * * *', null)).toEqual({
      kind: 'schedule',
      field: '*/5 * * * *',
      rewritten: '`*/5 * * * *` is `0 */5 * * * *` without its seconds (0).',
      zone: null,
    });
  });

  it('has no crontab form for seconds: a placeholder cron refuses, and the reason', () => {
    expect(crontabSchedule('*/15 * * * * *', null)).toEqual({
      kind: 'placeholder',
      field: PLACEHOLDER,
      reason:
        "`*/15 * * * * *` runs every 15 seconds, which has no crontab form: cron's smallest step is a minute.",
    });
    expect(crontabSchedule('* * * * * *', null)).toMatchObject({
      reason: expect.stringMatching(/runs every second,/),
    });
    expect(crontabSchedule('30 0 3 * * *', null)).toMatchObject({
      reason: '`30 0 3 * * *` runs at second 30, and cron starts jobs only on the minute.',
    });
    expect(crontabSchedule('every 30s', null)).toMatchObject({
      field: PLACEHOLDER,
      reason: expect.stringMatching(/^`every 30s` is every 30 seconds, which has no crontab form/),
    });
  });

  it("has no crontab form for croner's own syntax (L, W, #, ?, +)", () => {
    for (const schedule of [
      '0 0 L * *',
      '0 0 15W * *',
      '0 0 * * 5#2',
      '0 0 ? * MON',
      '0 0 * * +MON',
    ])
      expect(crontabSchedule(schedule, null)).toMatchObject({
        field: PLACEHOLDER,
        reason: expect.stringContaining("croner's own syntax"),
      });
  });

  it('writes an interval that divides the hour as a crontab step, and no other', () => {
    expect(crontabSchedule('every 15m', 'Europe/Berlin')).toEqual({
      kind: 'schedule',
      field: '*/15 * * * *',
      rewritten: '`*/15 * * * *` is `every 15m` as crontab writes it.',
      zone: null,
    });
    expect(field('every 1m')).toBe('* * * * *');
    expect(field('every 60m')).toBe('0 * * * *');
    expect(field('EVERY 1h')).toBe('0 * * * *');
    // Counted from the latest run: cron's steps restart each hour or day, and DST days are 23 h.
    for (const schedule of ['every 7m', 'every 90m', 'every 2h', 'every 1d'])
      expect(crontabSchedule(schedule, null)).toMatchObject({
        field: PLACEHOLDER,
        reason: expect.stringContaining('has no exact crontab form'),
      });
  });

  it('says a job without a schedule has none, with the placeholder, not a made-up time', () => {
    expect(crontabSchedule(null, null)).toEqual({
      kind: 'placeholder',
      field: '<schedule>',
      reason: expect.stringMatching(/^This job has no schedule/),
    });
    expect(field('@reboot')).toBe(PLACEHOLDER);
  });
});
