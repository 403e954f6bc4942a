/**
 * What to put in a crontab's schedule field for a job, so that cron runs it when ChronoTrack
 * expects it. ChronoTrack reads more than crontab does (seconds, croner's `L` `W` `#`, `every 15m`
 * intervals, a time zone per job): a schedule is copied only when cron means the same by it,
 * rewritten when an exact crontab form exists, and otherwise replaced by a placeholder cron
 * refuses, with the reason in words. (The server's parser is shared/schedules.ts; the dashboard
 * does not import it, and only needs to know which schedules crontab reads.)
 */
export type CrontabSchedule =
  | {
      kind: 'schedule';
      /** The crontab schedule field(s): `30 2 * * *`, `@daily`. */
      field: string;
      /** Why the field is not the job's schedule as written (`every 15m` → `*\/15 * * * *`). */
      rewritten?: string;
      /**
       * The zone ChronoTrack reads the schedule in, when the times it gives depend on it; null when
       * they do not (every 5 minutes is every 5 minutes in any zone).
       */
      zone: string | null;
    }
  | { kind: 'placeholder'; field: typeof PLACEHOLDER; reason: string };

/** Not a schedule cron would accept, so a copied line cannot run on a made-up time. */
export const PLACEHOLDER = '<schedule>';

/** The macros crontab knows that are schedules (`@reboot` is an event, not a time). */
const MACROS = new Set([
  '@hourly',
  '@daily',
  '@midnight',
  '@weekly',
  '@monthly',
  '@yearly',
  '@annually',
]);

const INTERVAL = /^every\s+([1-9][0-9]{0,5})\s*(s|m|h|d)$/i;
const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;
const UNIT_WORD = { s: 'second', m: 'minute', h: 'hour', d: 'day' } as const;

/** A field crontab reads as croner does: numbers, `*`, `,`, `-`, `/`, and 3-letter names. */
const crontabField = (field: string) => /^[0-9*,/-]+$/.test(field.replace(/[a-z]{3}/gi, '0'));

/** `*`, or `*\/n` with n dividing 15: the same minutes whatever the zone's offset from UTC. */
const zoneFreeMinute = (field: string) => {
  if (field === '*') return true;
  const step = /^\*\/(\d+)$/.exec(field);
  return step !== null && 15 % Number(step[1]) === 0;
};

const placeholder = (reason: string): CrontabSchedule => ({
  kind: 'placeholder',
  field: PLACEHOLDER,
  reason,
});

/** Why a cron seconds field (not 0) has no crontab form. */
function secondsReason(expression: string, field: string): string {
  if (/^\d+$/.test(field))
    return `\`${expression}\` runs at second ${Number(field)}, and cron starts jobs only on the minute.`;
  const step = /^\*\/(\d+)$/.exec(field);
  const when =
    field === '*' ? 'every second' : step ? `every ${step[1]} seconds` : `on seconds ${field}`;
  return `\`${expression}\` runs ${when}, which has no crontab form: cron's smallest step is a minute.`;
}

function interval(expression: string, count: number, unit: keyof typeof UNIT_SECONDS) {
  const every = count * UNIT_SECONDS[unit];
  if (every % 60 !== 0)
    return placeholder(
      `\`${expression}\` is every ${count} ${UNIT_WORD[unit]}${count === 1 ? '' : 's'}, which has ` +
        "no crontab form: cron's smallest step is a minute.",
    );
  const minutes = every / 60;
  // A step that divides the hour keeps its pace across hours, days and daylight saving time.
  if (minutes === 60) return rewrite(expression, '0 * * * *');
  if (60 % minutes === 0)
    return rewrite(expression, `${minutes === 1 ? '*' : `*/${minutes}`} * * * *`);
  return placeholder(
    `\`${expression}\` counts from the latest run, and has no exact crontab form: cron's steps ` +
      'start again each hour, day or month, and a day is 23 or 25 hours long when daylight ' +
      'saving time changes.',
  );
}

const rewrite = (expression: string, field: string): CrontabSchedule => ({
  kind: 'schedule',
  field,
  rewritten: `\`${field}\` is \`${expression}\` as crontab writes it.`,
  zone: null,
});

/**
 * The crontab schedule field for a job's `schedule` read in `timezone` (null: UTC, as the API
 * reads it), or a placeholder and why.
 */
export function crontabSchedule(schedule: string | null, timezone: string | null): CrontabSchedule {
  if (schedule === null)
    return placeholder(
      'This job has no schedule (give it one, and ChronoTrack also knows when a run is late).',
    );
  const expression = schedule.trim();
  const every = INTERVAL.exec(expression);
  if (every)
    return interval(
      expression,
      Number(every[1]),
      every[2]!.toLowerCase() as keyof typeof UNIT_SECONDS,
    );
  const zone = timezone ?? 'UTC';
  if (expression.startsWith('@')) {
    const macro = expression.toLowerCase();
    if (MACROS.has(macro)) return { kind: 'schedule', field: macro, zone };
    return placeholder(`Crontab has no \`${expression}\` schedule.`);
  }
  let fields = expression.split(/\s+/);
  let rewritten: string | undefined;
  if (fields.length === 6) {
    // Seconds first: only second 0 is a time crontab can say (cron starts on the minute).
    if (!/^0+$/.test(fields[0]!)) return placeholder(secondsReason(expression, fields[0]!));
    fields = fields.slice(1);
    rewritten = `\`${fields.join(' ')}\` is \`${expression}\` without its seconds (0).`;
  }
  if (fields.length !== 5) return placeholder(`Crontab cannot read \`${expression}\`.`);
  if (!fields.every(crontabField))
    return placeholder(
      `\`${expression}\` uses croner's own syntax (L, W, #, ?), which crontab does not know.`,
    );
  const [minute, ...rest] = fields;
  const zoneFree = zoneFreeMinute(minute!) && rest.every((field) => field === '*');
  return {
    kind: 'schedule',
    field: fields.join(' '),
    ...(rewritten ? { rewritten } : {}),
    zone: zoneFree ? null : zone,
  };
}
