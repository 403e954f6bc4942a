import { errorMessage } from './errors.js';
import { Cron } from 'croner';

/**
 * When a job is expected to run: a cron expression (5 fields, or 6 with seconds first), a
 * nickname such as `@hourly`, or an interval such as `every 15m`. Cron is parsed by croner
 * (time zones, DST, runs on Workers); croner has no intervals, so `every ...` is parsed here.
 */
export type Schedule =
  { kind: 'interval'; everyMs: number } | { kind: 'cron'; cron: Cron; expression: string };

const INTERVAL = /^every\s+([1-9][0-9]{0,5})\s*(s|m|h|d)$/i;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The interval of `every 15m`, `every 2h`, `every 30s`, `every 1d` in milliseconds; null otherwise. */
export function parseInterval(expression: string): number | null {
  const match = INTERVAL.exec(expression.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2]!.toLowerCase() as keyof typeof UNIT_MS];
}

/** Thrown with the parser's own reason, for a 400 that says what is wrong. */
export class ScheduleError extends Error {}

/** An IANA time zone name the runtime knows (Intl throws a RangeError otherwise). */
export function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ScheduleError(`unknown IANA time zone '${timezone}'`);
  }
}

/** Parses a schedule in a time zone (default UTC); throws ScheduleError with the reason. */
export function parseSchedule(expression: string, timezone?: string | null): Schedule {
  const tz = timezone ?? 'UTC';
  checkTimezone(tz);
  const everyMs = parseInterval(expression);
  if (everyMs !== null) return { kind: 'interval', everyMs };
  const trimmed = expression.trim();
  if (/^every\b/i.test(trimmed))
    throw new ScheduleError(
      "an interval is 'every <n><s|m|h|d>', e.g. 'every 15m' (n from 1 to 999999)",
    );
  const fields = trimmed.split(/\s+/).length;
  if (!trimmed.startsWith('@') && fields !== 5 && fields !== 6)
    throw new ScheduleError(
      `a cron expression has 5 fields (or 6 with seconds first), this one has ${fields}`,
    );
  try {
    // legacyMode (croner's default, as in cron): a day of month OR a day of week matches.
    return { kind: 'cron', cron: new Cron(trimmed, { timezone: tz, paused: true }), expression };
  } catch (error) {
    throw new ScheduleError(errorMessage(error));
  }
}

/** The first time the schedule expects a run strictly after `after`; null when it never will. */
export function nextAfter(schedule: Schedule, after: Date): Date | null {
  if (schedule.kind === 'interval') return new Date(after.getTime() + schedule.everyMs);
  return schedule.cron.nextRun(after);
}
