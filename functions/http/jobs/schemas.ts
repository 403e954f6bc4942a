import { z } from 'zod';
import { DEFAULT_GRACE_SECONDS, JOB_HEALTHS, type JobHealth } from '../../../shared/job-health.js';
import { JOB_KEY_PATTERN } from '../../../shared/job-keys.js';
import { JOB_SORT_FIELDS } from '../../../shared/list-queries.js';
import { checkTimezone, parseSchedule } from '../../../shared/schedules.js';
import { runFilters } from '../runs/schemas.js';
import {
  CursorSchema,
  IdSchema,
  idParams,
  IsoTimestamp,
  LimitSchema,
  pageOf,
  ProjectFilter,
  sortParam,
} from '../wire-primitives.js';

/** The jobs' wire shapes: `/jobs`, `/jobs/{id}` and `/jobs/by-key/{key}`. */

export const JobIdParamsSchema = idParams('id', 'Job id.');

const JobKey = z
  .string()
  .regex(JOB_KEY_PATTERN, 'must be 1-64 characters of a-z, 0-9, - and _')
  .meta({
    description:
      "The job's key: 1-64 characters of `a-z`, `0-9`, `-` and `_`, unique within its project.",
    example: 'nightly-backup',
  });

export const JobKeyParamsSchema = z.object({
  key: JobKey.meta({ param: { name: 'key', in: 'path' } }),
});

/**
 * The project a by-key route looks the key up in. An unscoped key may name one (default: the
 * `default` project, id 1); a project-scoped key always uses its own, and another one is a 404.
 */
const KeyProjectParam = IdSchema.optional().meta({
  description:
    'The project the key is looked up in (default: `default`, id 1). A project-scoped API key always uses its own project; another one is a 404.',
  example: '1',
});

export const JobByKeyQuerySchema = z.strictObject({ projectId: KeyProjectParam });

/** `GET /jobs/by-key/{key}/runs`: the filters of `GET /jobs/{id}/runs`, and the key's project. */
export const JobByKeyRunListQuerySchema = z.strictObject({
  ...runFilters,
  projectId: KeyProjectParam,
});

export const JobListQuerySchema = z.strictObject({
  limit: LimitSchema,
  projectId: ProjectFilter,
  cursor: CursorSchema,
  archived: z.enum(['false', 'true', 'all']).optional().meta({
    description:
      'Which jobs to list: active ones (`false`, default), archived ones (`true`), or `all`.',
  }),
  type: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'Only jobs of this type (exact match).', example: 'etl' }),
  q: z.string().min(1).max(200).optional().meta({
    description: 'Only jobs whose name contains this text (case-insensitive).',
    example: 'backup',
  }),
  health: z
    .string()
    .transform((value, ctx) => {
      const healths = value.split(',').map((item) => item.trim());
      const unknown = healths.filter((item) => !(JOB_HEALTHS as readonly string[]).includes(item));
      if (unknown.length === 0) return healths as JobHealth[];
      ctx.addIssue({
        code: 'custom',
        message: `must be a comma-separated list of ${JOB_HEALTHS.join(', ')}`,
      });
      return z.NEVER;
    })
    .optional()
    .meta({
      description:
        'Only jobs whose health, as the sweep last recorded it (every SWEEP_INTERVAL_SECONDS), is one of these (comma-separated). The filter is part of the page query, so paging is exact; a job whose health changed since the last sweep is listed by its recorded value.',
      example: 'down,late',
      type: 'string',
    }),
  sort: sortParam(JOB_SORT_FIELDS, '-createdAt'),
});

const Name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');
const Description = z.string().max(2000, 'must be at most 2000 characters').nullable();
const Type = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .nullable();

/** At most 366 days, the longest window the stats look back over. */
const MAX_LIMIT_SECONDS = 366 * 86_400;

const LimitSeconds = (description: string, example: number) =>
  z
    .number()
    .int('must be a whole number of seconds')
    .positive('must be positive')
    .max(MAX_LIMIT_SECONDS, `must be at most ${MAX_LIMIT_SECONDS} (366 days)`)
    .nullable()
    .meta({ description: `${description} null: no limit (the default).`, example });

const jobLimits = {
  heartbeatTimeoutSeconds: LimitSeconds(
    'A RUNNING run that has sent no heartbeat (nor started) for this many seconds is failed with "heartbeat lost".',
    120,
  ),
  maxDurationSeconds: LimitSeconds(
    'A RUNNING run still running this many seconds after it started is failed with "timed out".',
    3600,
  ),
  pendingTimeoutSeconds: LimitSeconds(
    'A PENDING run that has not started this many seconds after it was created is failed with "never started".',
    600,
  ),
};

/** A refinement that reports what the schedule parser says is wrong (croner's own reason). */
const parsedBy =
  (check: (value: string) => void) => (value: string | null, ctx: z.RefinementCtx) => {
    if (value === null) return;
    try {
      check(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'invalid' });
    }
  };

const jobExpectation = {
  schedule: z
    .string()
    .min(1)
    .max(200)
    .nullable()
    .superRefine(parsedBy((value) => parseSchedule(value)))
    .meta({
      description:
        "When a run is expected: a cron expression (5 fields, or 6 with seconds first), `@hourly`/`@daily`/`@weekly`/`@monthly`/`@yearly`, or an interval `every <n><s|m|h|d>` (`every 15m`, counted from the latest run). Invalid: 400 with the parser's reason. null: no expectation (the default).",
      example: '0 3 * * *',
    }),
  timezone: z.string().min(1).max(64).nullable().superRefine(parsedBy(checkTimezone)).meta({
    description: 'The IANA time zone the cron expression is read in. null: UTC (the default).',
    example: 'Europe/Berlin',
  }),
  graceSeconds: z
    .number()
    .int('must be a whole number of seconds')
    .positive('must be positive')
    .max(MAX_LIMIT_SECONDS, `must be at most ${MAX_LIMIT_SECONDS} (366 days)`)
    .nullable()
    .meta({
      description: `How long after the expected time a run may be recorded before the job is \`late\` (and after twice that, \`down\`). null: ${DEFAULT_GRACE_SECONDS} seconds (the default).`,
      example: 600,
    }),
};

const optionalLimits = {
  heartbeatTimeoutSeconds: jobLimits.heartbeatTimeoutSeconds.optional(),
  maxDurationSeconds: jobLimits.maxDurationSeconds.optional(),
  pendingTimeoutSeconds: jobLimits.pendingTimeoutSeconds.optional(),
  schedule: jobExpectation.schedule.optional(),
  timezone: jobExpectation.timezone.optional(),
  graceSeconds: jobExpectation.graceSeconds.optional(),
};

export const JobCreateSchema = z
  .strictObject({
    name: Name,
    key: JobKey.optional().meta({
      description:
        "The job's key, unique within its project (taken: 409 JOB_KEY_TAKEN). Default: derived from the name (lowercased, other characters to `-`, at most 64), with `-2`, `-3`... appended when taken.",
    }),
    description: Description.optional(),
    type: Type.optional(),
    ...optionalLimits,
    projectId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().meta({
      description:
        "The job's project, for keys that see every project (default: `default`, id 1). A project-scoped key's jobs always land in its own project.",
    }),
  })
  .meta({
    example: {
      name: 'Daily ETL',
      key: 'daily-etl',
      description: "Loads yesterday's orders",
      type: 'etl',
      maxDurationSeconds: 3600,
    },
  });

export const JobUpdateSchema = z
  .strictObject({
    name: Name.optional(),
    key: JobKey.optional().meta({
      description: 'A new key for the job (taken by another job of its project: 409).',
    }),
    description: Description.optional(),
    type: Type.optional(),
    archived: z.boolean().optional(),
    ...optionalLimits,
  })
  .meta({ example: { archived: true } });

/** PUT by key: POST's fields but the key (the path's) and the project (`?projectId=`). */
export const JobPutSchema = z
  .strictObject({
    name: Name.optional().meta({ description: 'Default on creation: the key.' }),
    description: Description.optional(),
    type: Type.optional(),
    ...optionalLimits,
  })
  .meta({ example: { name: 'Nightly backup', heartbeatTimeoutSeconds: 120 } });

export const JobSchema = z
  .object({
    id: z.number().int(),
    projectId: z.number().int(),
    key: z.string().meta({
      description: 'Unique within the project; addresses the job in `/jobs/by-key/{key}`.',
      example: 'nightly-backup',
    }),
    name: z.string(),
    description: z.string().nullable(),
    type: z.string().nullable(),
    archived: z.boolean(),
    heartbeatTimeoutSeconds: z.number().int().nullable().meta({
      description: jobLimits.heartbeatTimeoutSeconds.description,
      example: 120,
    }),
    maxDurationSeconds: z
      .number()
      .int()
      .nullable()
      .meta({ description: jobLimits.maxDurationSeconds.description, example: 3600 }),
    pendingTimeoutSeconds: z
      .number()
      .int()
      .nullable()
      .meta({ description: jobLimits.pendingTimeoutSeconds.description, example: null }),
    pingUuid: z.string().nullable().meta({
      description:
        "The secret of the job's Healthchecks-compatible ping URL (docs/alerts.md): anyone who has it can record runs, so read keys see null.",
      example: '5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10',
    }),
    pingUrl: z.string().nullable().meta({
      description:
        'Where cron lines, runitor and Healthchecks clients ping: `${PUBLIC_URL}/ping/{pingUuid}` when the server has PUBLIC_URL set, else `/ping/{pingUuid}` relative to the server (prefix your base URL); append `/start`, `/fail`, `/log` or `/{exit-status}`. Null for read keys.',
      example: 'https://chronotrack.example.com/ping/5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10',
    }),
    schedule: z
      .string()
      .nullable()
      .meta({ description: jobExpectation.schedule.description, example: '0 3 * * *' }),
    timezone: z
      .string()
      .nullable()
      .meta({ description: jobExpectation.timezone.description, example: null }),
    graceSeconds: z
      .number()
      .int()
      .nullable()
      .meta({ description: jobExpectation.graceSeconds.description, example: 600 }),
    health: z.enum(JOB_HEALTHS).meta({
      description:
        "Derived now from the schedule and the job's runs: `new` (never ran, not late), `up`, `late` (the expected run was not recorded within the grace), `down` (late past a second grace period, or the latest finished run FAILED), `paused` (archived). See docs/alerts.md.",
      example: 'up',
    }),
    nextExpectedAt: IsoTimestamp.nullable().meta({
      description:
        "When the schedule next expects a run: its next time after the latest run (or after the job's creation). null without a schedule or when archived.",
    }),
    lastRunAt: IsoTimestamp.nullable().meta({
      description: "When the job's latest run was recorded; null: it never ran.",
    }),
    createdAt: IsoTimestamp,
    updatedAt: IsoTimestamp,
  })
  .meta({ id: 'Job' });

export const JobPageSchema = pageOf(JobSchema, 'JobPage');

export type JobJson = z.infer<typeof JobSchema>;
