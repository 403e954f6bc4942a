import { describe, expect, it } from 'vitest';
import {
  healthDeadlines,
  healthSteps,
  jobHealth,
  nextHealthDeadline,
  type HealthFacts,
} from './job-health.js';
import type { RunStatus } from './run-status.js';
import { parseInterval, parseSchedule, ScheduleError } from './schedules.js';

const at = (iso: string) => new Date(iso);
const CREATED = at('2026-01-01T00:00:00Z');

const job = (facts: Partial<HealthFacts>): HealthFacts => ({
  archived: false,
  schedule: null,
  timezone: null,
  graceSeconds: 60,
  createdAt: CREATED,
  lastRunAt: null,
  lastFinishedStatus: null,
  ...facts,
});

/** The health of `facts` at each of `times` (the injected clock). */
const healthAt = (facts: Partial<HealthFacts>, ...times: string[]) =>
  times.map((time) => jobHealth(job(facts), at(time)).health);

describe('parseInterval', () => {
  it('reads every <n><s|m|h|d>', () => {
    expect(parseInterval('every 15m')).toBe(900_000);
    expect(parseInterval('every 30s')).toBe(30_000);
    expect(parseInterval('EVERY 2h')).toBe(7_200_000);
    expect(parseInterval(' every 1d ')).toBe(86_400_000);
    expect(parseInterval('every 1 m')).toBe(60_000);
  });
  it('is null for anything else', () => {
    for (const text of [
      'every 0m',
      'every 15',
      'every m',
      'every 15w',
      'every -1m',
      '*/15 * * * *',
    ])
      expect(parseInterval(text), text).toBeNull();
  });
});

describe('parseSchedule', () => {
  it("gives croner's reason for an invalid expression, and ours for a wrong field count or zone", () => {
    expect(() => parseSchedule('61 * * * *')).toThrow(/minute/);
    expect(() => parseSchedule('* * *')).toThrow(/5 fields .* has 3/);
    expect(() => parseSchedule('0 0 1 1 * 2027 x')).toThrow(ScheduleError);
    expect(() => parseSchedule('every fortnight')).toThrow(/every <n><s\|m\|h\|d>/);
    expect(() => parseSchedule('@hourly', 'Mars/Olympus')).toThrow(/time zone 'Mars\/Olympus'/);
  });
  it('accepts 5 and 6 fields, nicknames and intervals', () => {
    for (const text of ['0 3 * * *', '*/2 * * * * *', '@hourly', '@daily', 'every 15m'])
      expect(() => parseSchedule(text, 'America/New_York'), text).not.toThrow();
  });
});

describe('jobHealth (injected clock)', () => {
  it('a job without a schedule: new, then up, down while its latest finished run FAILED', () => {
    expect(healthAt({}, '2030-01-01T00:00:00Z')).toEqual(['new']);
    const ran = { lastRunAt: at('2026-01-01T01:00:00Z') };
    expect(healthAt({ ...ran, lastFinishedStatus: 'SUCCESS' }, '2030-01-01T00:00:00Z')).toEqual([
      'up',
    ]);
    expect(healthAt({ ...ran, lastFinishedStatus: 'FAILED' }, '2026-01-01T01:01:00Z')).toEqual([
      'down',
    ]);
    expect(jobHealth(job(ran), at('2030-01-01T00:00:00Z')).nextExpectedAt).toBeNull();
  });

  it('daily at 03:00 UTC with 60 s grace: up until 03:01, late until 03:02, then down', () => {
    const daily = { schedule: '0 3 * * *', lastRunAt: at('2026-01-01T03:00:00Z') };
    expect(jobHealth(job(daily), at('2026-01-01T12:00:00Z'))).toEqual({
      health: 'up',
      nextExpectedAt: at('2026-01-02T03:00:00Z'),
    });
    expect(
      healthAt(
        daily,
        '2026-01-02T03:00:59.999Z', // within the grace
        '2026-01-02T03:01:00Z', // the grace is over: late
        '2026-01-02T03:01:59.999Z',
        '2026-01-02T03:02:00Z', // a second grace period later: down
      ),
    ).toEqual(['up', 'late', 'late', 'down']);
  });

  it('late → down → up: a run recorded moves the expectation to the next time after it', () => {
    const hourly = { schedule: '@hourly', graceSeconds: 300 };
    const before = { ...hourly, lastRunAt: at('2026-01-01T09:00:10Z') };
    expect(
      healthAt(before, '2026-01-01T10:04:00Z', '2026-01-01T10:05:00Z', '2026-01-01T10:10:00Z'),
    ).toEqual(['up', 'late', 'down']);
    const after = { ...hourly, lastRunAt: at('2026-01-01T10:12:00Z') };
    expect(jobHealth(job(after), at('2026-01-01T10:12:01Z'))).toEqual({
      health: 'up',
      nextExpectedAt: at('2026-01-01T11:00:00Z'),
    });
    // ... unless that run fails.
    expect(healthAt({ ...after, lastFinishedStatus: 'FAILED' }, '2026-01-01T10:13:00Z')).toEqual([
      'down',
    ]);
  });

  it('every minute (and a 6-field every-2-seconds) schedule', () => {
    const everyMinute = {
      schedule: '* * * * *',
      graceSeconds: 10,
      lastRunAt: at('2026-01-01T00:00:30Z'),
    };
    expect(jobHealth(job(everyMinute), at('2026-01-01T00:00:31Z')).nextExpectedAt).toEqual(
      at('2026-01-01T00:01:00Z'),
    );
    expect(
      healthAt(everyMinute, '2026-01-01T00:01:09Z', '2026-01-01T00:01:10Z', '2026-01-01T00:01:20Z'),
    ).toEqual(['up', 'late', 'down']);
    const everyTwoSeconds = {
      schedule: '*/2 * * * * *',
      graceSeconds: 1,
      lastRunAt: at('2026-01-01T00:00:00.500Z'),
    };
    expect(healthAt(everyTwoSeconds, '2026-01-01T00:00:02.999Z', '2026-01-01T00:00:03Z')).toEqual([
      'up',
      'late',
    ]);
  });

  it('an interval counts from the latest run (or from creation when it never ran)', () => {
    const interval = { schedule: 'every 15m', graceSeconds: 60 };
    expect(jobHealth(job(interval), at('2026-01-01T00:10:00Z'))).toEqual({
      health: 'new',
      nextExpectedAt: at('2026-01-01T00:15:00Z'),
    });
    // Never ran and the first expected run did not come: late, not new.
    expect(healthAt(interval, '2026-01-01T00:16:00Z', '2026-01-01T00:17:00Z')).toEqual([
      'late',
      'down',
    ]);
    expect(
      jobHealth(
        job({ ...interval, lastRunAt: at('2026-01-01T05:03:00Z') }),
        at('2026-01-01T05:04:00Z'),
      ).nextExpectedAt,
    ).toEqual(at('2026-01-01T05:18:00Z'));
  });

  it('DST in Europe/Berlin: 02:30 local does not exist on 29 March 2026, and exists twice on 25 October', () => {
    const berlin = { schedule: '30 2 * * *', timezone: 'Europe/Berlin' };
    // Spring forward at 02:00 CET → 03:00 CEST: the 02:30 run is expected at the jump (01:00 UTC).
    const spring = jobHealth(
      job({ ...berlin, lastRunAt: at('2026-03-28T01:30:00Z') }),
      at('2026-03-28T12:00:00Z'),
    );
    expect(spring.nextExpectedAt).toEqual(at('2026-03-29T01:00:00Z'));
    // Summer: 02:30 CEST is 00:30 UTC.
    const summer = jobHealth(
      job({ ...berlin, lastRunAt: at('2026-03-29T01:00:00Z') }),
      at('2026-03-29T12:00:00Z'),
    );
    expect(summer.nextExpectedAt).toEqual(at('2026-03-30T00:30:00Z'));
    // Fall back at 03:00 CEST → 02:00 CET: 02:30 comes twice; one run is expected, at the first.
    const fall = jobHealth(
      job({ ...berlin, lastRunAt: at('2026-10-24T00:30:00Z') }),
      at('2026-10-24T12:00:00Z'),
    );
    expect(fall.nextExpectedAt).toEqual(at('2026-10-25T00:30:00Z'));
    const afterFall = jobHealth(
      job({ ...berlin, lastRunAt: at('2026-10-25T00:30:05Z') }),
      at('2026-10-25T01:45:00Z'),
    );
    expect(afterFall.nextExpectedAt).toEqual(at('2026-10-26T01:30:00Z'));
  });

  it('DST in America/New_York: a daily 09:00 run moves from 14:00 to 13:00 UTC on 8 March 2026', () => {
    const newYork = { schedule: '0 9 * * *', timezone: 'America/New_York', graceSeconds: 600 };
    const lastRunAt = at('2026-03-07T14:00:00Z'); // 09:00 EST
    expect(
      jobHealth(job({ ...newYork, lastRunAt }), at('2026-03-08T12:00:00Z')).nextExpectedAt,
    ).toEqual(
      at('2026-03-08T13:00:00Z'), // 09:00 EDT
    );
    // Late at 09:10 EDT, which a UTC-only reading (14:00) would have missed.
    expect(
      healthAt({ ...newYork, lastRunAt }, '2026-03-08T13:09:59Z', '2026-03-08T13:10:00Z'),
    ).toEqual(['up', 'late']);
  });

  it('paused = archived, whatever the schedule and runs say', () => {
    for (const lastFinishedStatus of [null, 'FAILED', 'SUCCESS'] as Array<RunStatus | null>)
      expect(
        jobHealth(
          job({ archived: true, schedule: '* * * * *', lastFinishedStatus }),
          at('2030-01-01T00:00:00Z'),
        ),
      ).toEqual({ health: 'paused', nextExpectedAt: null });
  });

  it('uses a 300 s grace when the job sets none', () => {
    const noGrace = {
      schedule: '@hourly',
      graceSeconds: null,
      lastRunAt: at('2026-01-01T09:00:00Z'),
    };
    expect(
      healthAt(noGrace, '2026-01-01T10:04:59Z', '2026-01-01T10:05:00Z', '2026-01-01T10:10:00Z'),
    ).toEqual(['up', 'late', 'down']);
  });
});

describe('health deadlines and steps (injected clock)', () => {
  // The job: every minute, grace 20 s, last run 12:00:05; expected 12:01, late 12:01:20,
  // down 12:01:40.
  const minutely = job({
    schedule: '* * * * *',
    graceSeconds: 20,
    lastRunAt: at('2026-03-01T12:00:05Z'),
    lastFinishedStatus: 'SUCCESS',
  });

  it('the late and down deadlines are nextExpectedAt + grace and + 2 x grace', () => {
    expect(healthDeadlines(minutely)).toEqual({
      lateAt: at('2026-03-01T12:01:20Z'),
      downAt: at('2026-03-01T12:01:40Z'),
    });
    // None where time cannot change the health.
    expect(healthDeadlines({ ...minutely, schedule: null })).toBeNull();
    expect(healthDeadlines({ ...minutely, archived: true })).toBeNull();
    expect(healthDeadlines({ ...minutely, lastFinishedStatus: 'FAILED' })).toBeNull();
  });

  it('the next deadline is late until it passes, then down, then none', () => {
    const next = (time: string) => nextHealthDeadline(minutely, at(time));
    expect(next('2026-03-01T12:00:30Z')).toEqual(at('2026-03-01T12:01:20Z'));
    expect(next('2026-03-01T12:01:19.999Z')).toEqual(at('2026-03-01T12:01:20Z'));
    expect(next('2026-03-01T12:01:20Z')).toEqual(at('2026-03-01T12:01:40Z'));
    expect(next('2026-03-01T12:01:40Z')).toBeNull();
    // Each deadline is where jobHealth changes.
    expect(jobHealth(minutely, at('2026-03-01T12:01:19.999Z')).health).toBe('up');
    expect(jobHealth(minutely, at('2026-03-01T12:01:20Z')).health).toBe('late');
    expect(jobHealth(minutely, at('2026-03-01T12:01:39.999Z')).health).toBe('late');
    expect(jobHealth(minutely, at('2026-03-01T12:01:40Z')).health).toBe('down');
  });

  it('never skips late on the way to down from up or new; a failure is down at once', () => {
    const past = at('2026-03-01T12:01:45Z'); // the 30 s sweep's first look: past both deadlines
    expect(healthSteps(minutely, 'up', past)).toEqual(['late', 'down']);
    const neverRan = job({
      schedule: '* * * * *',
      graceSeconds: 20,
      createdAt: minutely.lastRunAt!,
    });
    expect(healthSteps(neverRan, 'new', past)).toEqual(['late', 'down']);
    expect(healthSteps(minutely, 'late', past)).toEqual(['down']);
    expect(healthSteps(minutely, 'down', past)).toEqual([]);
    expect(healthSteps(minutely, 'up', at('2026-03-01T12:01:30Z'))).toEqual(['late']);
    expect(healthSteps(minutely, 'up', at('2026-03-01T12:00:30Z'))).toEqual([]);
    // A failed run: down without late (it did run); the baseline (null) and paused as derived.
    expect(healthSteps({ ...minutely, lastFinishedStatus: 'FAILED' }, 'up', past)).toEqual([
      'down',
    ]);
    expect(healthSteps(minutely, null, past)).toEqual(['down']);
    expect(healthSteps(minutely, 'paused', past)).toEqual(['down']);
  });
});
