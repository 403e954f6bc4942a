import { z } from 'zod';
import { RUN_OUTPUT_MAX_LENGTH } from '../../../shared/inputs.js';
import { RUN_SORT_FIELDS } from '../../../shared/list-queries.js';
import { INITIAL_STATUSES, RUN_STATUSES } from '../../../shared/run-status.js';
import { MAX_JSON_DEPTH, withinJsonDepth } from '../json-depth.js';
import {
  CursorSchema,
  IdSchema,
  idParams,
  IsoTimestamp,
  LimitSchema,
  pageOf,
  ProjectFilter,
  sortParam,
  TimestampInput,
  TimestampParam,
} from '../wire-primitives.js';

/** The runs' wire shapes: `/runs`, `/runs/{runId}` and a job's runs. */

export const RunIdParamsSchema = idParams('runId', 'Run id.');

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

export const runFilters = {
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

export const RunListQuerySchema = z.strictObject({
  ...runFilters,
  projectId: ProjectFilter,
  jobId: IdSchema.optional().meta({ description: 'Only runs of this job.', example: '1' }),
});

const Metadata = z
  .record(z.string(), z.unknown())
  .refine((value) => withinJsonDepth(value), `must be nested at most ${MAX_JSON_DEPTH} levels deep`)
  .nullable()
  .meta({
    description: `Free-form JSON object: triggering user, parameters, host... At most ${MAX_JSON_DEPTH} levels deep.`,
    example: { triggeredBy: 'cron', host: 'worker-1' },
  });

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

export const RunUpdateSchema = z
  .strictObject({
    status: z.enum(RUN_STATUSES).optional(),
    errorMessage: z.string().max(10_000, 'must be at most 10000 characters').nullable().optional(),
    metadata: Metadata.optional(),
    startedAt: TimestampInput.optional(),
    finishedAt: TimestampInput.optional(),
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

export const JobRunPageSchema = pageOf(JobRunSchema, 'JobRunPage');

export type JobRunJson = z.infer<typeof JobRunSchema>;
export type RunDetailJson = z.infer<typeof RunDetailSchema>;
