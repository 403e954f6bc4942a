import { z } from 'zod';
import { INITIAL_STATUSES, RUN_STATUSES } from './run-status.js';

/**
 * The API's input and output shapes, one source of truth for validation and for the OpenAPI
 * document (the `.meta()` calls feed it). Inputs are strict: an unknown field is a 400.
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

export const PageQuerySchema = z.strictObject({ limit: LimitSchema, cursor: CursorSchema });

export const JobListQuerySchema = z.strictObject({
  limit: LimitSchema,
  cursor: CursorSchema,
  archived: z.enum(['false', 'true', 'all']).optional().meta({
    description:
      'Which jobs to list: active ones (`false`, default), archived ones (`true`), or `all`.',
  }),
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
  .nullable()
  .meta({
    description: 'Free-form JSON object: triggering user, parameters, host...',
    example: { triggeredBy: 'cron', host: 'worker-1' },
  });

export const JobCreateSchema = z
  .strictObject({ name: Name, description: Description.optional(), type: Type.optional() })
  .meta({ example: { name: 'Daily ETL', description: "Loads yesterday's orders", type: 'etl' } });

export const JobUpdateSchema = z
  .strictObject({
    name: Name.optional(),
    description: Description.optional(),
    type: Type.optional(),
    archived: z.boolean().optional(),
  })
  .meta({ example: { archived: true } });

export const RunCreateSchema = z
  .strictObject({ status: z.enum(INITIAL_STATUSES).optional(), metadata: Metadata.optional() })
  .meta({ example: { status: 'RUNNING', metadata: { triggeredBy: 'cron' } } });

const Timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp' });

export const RunUpdateSchema = z
  .strictObject({
    status: z.enum(RUN_STATUSES).optional(),
    errorMessage: z.string().max(10_000, 'must be at most 10000 characters').nullable().optional(),
    metadata: Metadata.optional(),
    startedAt: Timestamp.optional(),
    finishedAt: Timestamp.optional(),
  })
  .meta({ example: { status: 'FAILED', errorMessage: 'exit code 1' } });

export type JobCreateInput = z.infer<typeof JobCreateSchema>;
export type JobUpdateInput = z.infer<typeof JobUpdateSchema>;
export type RunCreateInput = z.infer<typeof RunCreateSchema>;
export type RunUpdateInput = z.infer<typeof RunUpdateSchema>;

// ---- responses -------------------------------------------------------------------------------

const IsoTimestamp = z.string().meta({ format: 'date-time', example: '2026-11-23T10:00:00.000Z' });

export const JobSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    type: z.string().nullable(),
    archived: z.boolean(),
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
  })
  .meta({ id: 'JobRun' });

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
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });

export type JobJson = z.infer<typeof JobSchema>;
export type JobRunJson = z.infer<typeof JobRunSchema>;
