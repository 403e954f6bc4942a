import { z } from 'zod';
import { RUN_OUTPUT_MAX_LENGTH, STATS_WINDOW } from '../../shared/inputs.js';
import { DEFAULT_GRACE_SECONDS, JOB_HEALTHS, type JobHealth } from '../../shared/job-health.js';
import { JOB_KEY_PATTERN } from '../../shared/job-keys.js';
import { checkTimezone, parseSchedule } from '../../shared/schedules.js';
import { JOB_SORT_FIELDS, RUN_SORT_FIELDS } from '../../shared/list-queries.js';
import { INITIAL_STATUSES, RUN_STATUSES } from '../../shared/run-status.js';
import { MAX_JSON_DEPTH, withinJsonDepth } from './json-depth.js';
import { IsoTimestamp } from './wire-primitives.js';

/**
 * The API's wire shapes, beside the routes that use them: one source of truth for validation and
 * for the OpenAPI document (the `.meta()` calls feed it). Inputs are strict: an unknown field is a
 * 400. Their validated output is assignable to the domain's input types (shared/inputs.ts).
 */

const MAX_ID = Number.MAX_SAFE_INTEGER;

export const IdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer')
  .transform(Number)
  .refine((id) => id <= MAX_ID, `must be at most ${MAX_ID}`);

export const JobIdParamsSchema = z.object({
  id: IdSchema.meta({ param: { name: 'id', in: 'path' }, example: '1', description: 'Job id.' }),
});
export const RunIdParamsSchema = z.object({
  runId: IdSchema.meta({
    param: { name: 'runId', in: 'path' },
    example: '1',
    description: 'Run id.',
  }),
});

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

const LimitSchema = z
  .string()
  .regex(/^[0-9]{1,4}$/, 'must be an integer between 1 and 200')
  .transform(Number)
  .refine((n) => n >= 1 && n <= 200, 'must be an integer between 1 and 200')
  .optional()
  .meta({ description: 'Page size, 1 to 200 (default 50).', example: '50' });

const CursorSchema = z
  .string()
  .min(1)
  .max(512)
  .optional()
  .meta({ description: "Opaque cursor from a previous page's `nextCursor`." });

const sortParam = <F extends string>(fields: readonly F[], fallback: string) =>
  z
    .enum(fields.flatMap((field) => [field, `-${field}`]) as [string, ...string[]])
    .optional()
    .meta({
      description: `Sort key; a leading \`-\` sorts descending. Default \`${fallback}\`. Ties are broken by id.`,
    });

const TimestampParam = (description: string) =>
  z.iso
    .datetime({ offset: true, message: 'must be an ISO-8601 timestamp' })
    .optional()
    .meta({ description, example: '2026-11-01T00:00:00Z' });

const StatusesParam = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => [
    ...new Set(
      (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()),
    ),
  ])
  .pipe(
    z.array(z.enum(RUN_STATUSES, { message: `must be one of ${RUN_STATUSES.join(', ')}` })).min(1),
  )
  .optional()
  .meta({
    description:
      'Only runs in these statuses: repeat the parameter or separate with commas (`status=FAILED,CANCELLED`).',
  });

const runFilters = {
  limit: LimitSchema,
  cursor: CursorSchema,
  status: StatusesParam,
  jobType: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "Only runs of jobs of this type (the job's `type`)." }),
  createdAfter: TimestampParam('Only runs created at or after this time (inclusive).'),
  createdBefore: TimestampParam('Only runs created before this time (exclusive).'),
  startedAfter: TimestampParam('Only runs started at or after this time (inclusive).'),
  startedBefore: TimestampParam('Only runs started before this time (exclusive).'),
  finishedAfter: TimestampParam('Only runs finished at or after this time (inclusive).'),
  finishedBefore: TimestampParam('Only runs finished before this time (exclusive).'),
  sort: sortParam(RUN_SORT_FIELDS, '-createdAt'),
};

/** `GET /jobs/{id}/runs`. Sorting by startedAt, finishedAt or durationMs lists only runs that have one. */
export const JobRunListQuerySchema = z.strictObject(runFilters);

/** `GET /runs`: the same filters across every job, plus `jobId`. */
const ProjectFilter = IdSchema.optional().meta({
  description: "Only this project's. A project-scoped key always sees only its own project.",
  example: '1',
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

export const RunListQuerySchema = z.strictObject({
  ...runFilters,
  projectId: ProjectFilter,
  jobId: IdSchema.optional().meta({ description: 'Only runs of this job.', example: '1' }),
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

export const JobStatsQuerySchema = z
  .strictObject({
    window: z
      .string()
      .regex(STATS_WINDOW, 'must be a number followed by m, h or d, e.g. 7d')
      .optional()
      .meta({
        description:
          'How far back from now: `30m`, `24h`, `7d` (default `7d`, at most 366 days). Not with from/to.',
        example: '7d',
      }),
    from: TimestampParam('Window start (inclusive); with `to`, instead of `window`.'),
    to: TimestampParam('Window end (exclusive); defaults to now.'),
  })
  .refine((q) => !(q.window && (q.from || q.to)), {
    message: 'give either window or from/to, not both',
    path: ['window'],
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
const Metadata = z
  .record(z.string(), z.unknown())
  .refine((value) => withinJsonDepth(value), `must be nested at most ${MAX_JSON_DEPTH} levels deep`)
  .nullable()
  .meta({
    description: `Free-form JSON object: triggering user, parameters, host... At most ${MAX_JSON_DEPTH} levels deep.`,
    example: { triggeredBy: 'cron', host: 'worker-1' },
  });

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

export const RunCreateSchema = z
  .strictObject({ status: z.enum(INITIAL_STATUSES).optional(), metadata: Metadata.optional() })
  .meta({ example: { status: 'RUNNING', metadata: { triggeredBy: 'cron' } } });

const ExitCode = z
  .number()
  .int('must be an integer')
  .min(-2_147_483_648)
  .max(4_294_967_295)
  .nullable()
  .meta({
    description: "The wrapped command's exit code; null when unknown or it was killed by a signal.",
    example: 1,
  });

const Timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp' });

export const RunUpdateSchema = z
  .strictObject({
    status: z.enum(RUN_STATUSES).optional(),
    errorMessage: z.string().max(10_000, 'must be at most 10000 characters').nullable().optional(),
    metadata: Metadata.optional(),
    startedAt: Timestamp.optional(),
    finishedAt: Timestamp.optional(),
    exitCode: ExitCode.optional(),
    output: z
      .string()
      .max(
        RUN_OUTPUT_MAX_LENGTH,
        `must be at most ${RUN_OUTPUT_MAX_LENGTH} characters (send the tail)`,
      )
      .nullable()
      .optional()
      .meta({
        description: `The tail of the command's combined stdout and stderr, at most ${RUN_OUTPUT_MAX_LENGTH} characters (more: 400). Returned only by \`GET /runs/{runId}\` and this operation, never in list pages.`,
        example: 'rsync: connection unexpectedly closed\n',
      }),
  })
  .meta({
    example: {
      status: 'FAILED',
      errorMessage: 'exit code 1',
      exitCode: 1,
      output: 'error: disk full\n',
    },
  });

// ---- responses -------------------------------------------------------------------------------

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
        'Where cron lines, runitor and Healthchecks clients ping (relative to the server: prefix your base URL): `/ping/{pingUuid}`, with `/start`, `/fail`, `/log` or `/{exit-status}` appended. Null for read keys.',
      example: '/ping/5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10',
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

export const JobRunSchema = z
  .object({
    id: z.number().int(),
    jobId: z.number().int(),
    status: z.enum(RUN_STATUSES),
    createdAt: IsoTimestamp,
    startedAt: IsoTimestamp.nullable(),
    finishedAt: IsoTimestamp.nullable(),
    durationMs: z.number().int().nullable(),
    errorMessage: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    exitCode: z.number().int().nullable().meta({
      description: "The wrapped command's exit code; null until reported, or for a signal.",
      example: 0,
    }),
    lastHeartbeatAt: IsoTimestamp.nullable().meta({
      description:
        'The last heartbeat recorded (POST /api/runs/{runId}/heartbeat, at most one per run every 5 s); null before any.',
    }),
    slow: z.boolean().meta({
      description:
        "Took more than 3x its job's p95 duration over the job's last 50 finished runs (none is slow before the job has 10). Set when the run finishes, or by the sweep while it is still RUNNING past that; once true it stays true, and `run.slow` is sent once. See docs/alerts.md.",
      example: false,
    }),
  })
  .meta({
    id: 'JobRun',
    description: 'A run, as lists show it: without its `output` (see `RunDetail`).',
  });

/** One run by itself (GET /runs/{runId} and its PATCH): with the tail of its output. */
export const RunDetailSchema = JobRunSchema.extend({
  output: z
    .string()
    .nullable()
    .meta({
      description: `The tail of the command's combined output (at most ${RUN_OUTPUT_MAX_LENGTH} characters); null if none was reported.`,
      example: 'backup done: 1234 files\n',
    }),
}).meta({ id: 'RunDetail', description: 'A run read by itself: with its `output`.' });

const NextCursor = z
  .string()
  .nullable()
  .meta({ description: 'Cursor for the next page; null on the last page.' });

export const JobPageSchema = z
  .object({ data: z.array(JobSchema), nextCursor: NextCursor })
  .meta({ id: 'JobPage' });
export const JobRunPageSchema = z
  .object({ data: z.array(JobRunSchema), nextCursor: NextCursor })
  .meta({ id: 'JobRunPage' });

export const HealthSchema = z.object({ status: z.enum(['ok', 'error']) }).meta({ id: 'Health' });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().optional(),
    requestId: z.string().optional().meta({ description: 'The X-Request-Id of the request.' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });

export type JobJson = z.infer<typeof JobSchema>;
export type JobRunJson = z.infer<typeof JobRunSchema>;
export type RunDetailJson = z.infer<typeof RunDetailSchema>;

export const JobStatsSchema = z
  .object({
    jobId: z.number().int(),
    from: IsoTimestamp,
    to: IsoTimestamp,
    total: z.number().int().meta({ description: 'Runs created in the window.' }),
    counts: z.object(
      Object.fromEntries(RUN_STATUSES.map((status) => [status, z.number().int()])) as Record<
        (typeof RUN_STATUSES)[number],
        z.ZodNumber
      >,
    ),
    successRate: z.number().nullable().meta({
      description: 'SUCCESS / (SUCCESS + FAILED) in the window; null when neither occurred.',
    }),
    durationMs: z
      .object({
        count: z.number().int(),
        p50: z.number().int().nullable(),
        p95: z.number().int().nullable(),
        max: z.number().int().nullable(),
      })
      .meta({
        description:
          'Over runs in the window that have both startedAt and finishedAt; nearest-rank percentiles.',
      }),
    // A union, not `.nullable()`: the generator renders a nullable reference as
    // `allOf: [$ref, {type: [object, null]}]`, which no null can match.
    lastRun: z.union([JobRunSchema, z.null()]),
    lastSuccess: z.union([JobRunSchema, z.null()]),
    lastFailure: z.union([JobRunSchema, z.null()]),
  })
  .meta({ id: 'JobStats' });

export type JobStatsJson = z.infer<typeof JobStatsSchema>;
