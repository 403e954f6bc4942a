import { z } from 'zod';
import { STATS_WINDOW } from '../../../shared/run-stats.js';
import { RUN_STATUSES } from '../../../shared/run-status.js';
import { JobRunSchema } from '../runs/schemas.js';
import { IsoTimestamp, TimestampParam } from '../wire-primitives.js';

/** A job's window stats (`GET /jobs/{id}/stats`): the query and the answer. */

/** The `window` query parameter: a span back from now (shared/run-stats.ts). */
export const statsWindowParam = (description: string) =>
  z
    .string()
    .regex(STATS_WINDOW, 'must be a number followed by m, h or d, e.g. 7d')
    .optional()
    .meta({ description, example: '7d' });

/**
 * A window's stats (shared/run-stats.ts's WindowStats): the body of `GET /jobs/{id}/stats` and
 * each job's `stats` in `GET /jobs/summaries`.
 */
export const WindowStatsSchema = z.object({
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
  durationMs: z.object({
    count: z.number().int(),
    p50: z.number().int().nullable(),
    p95: z.number().int().nullable(),
    max: z.number().int().nullable(),
  }),
});

export const JobStatsQuerySchema = z
  .strictObject({
    window: statsWindowParam(
      'How far back from now: `30m`, `24h`, `7d` (default `7d`, at most 366 days). Not with from/to.',
    ),
    from: TimestampParam('Window start (inclusive); with `to`, instead of `window`.'),
    to: TimestampParam('Window end (exclusive); defaults to now.'),
  })
  .refine((q) => !(q.window && (q.from || q.to)), {
    message: 'give either window or from/to, not both',
    path: ['window'],
  });

export const JobStatsSchema = z
  .object({
    jobId: z.number().int(),
    from: IsoTimestamp,
    to: IsoTimestamp,
    ...WindowStatsSchema.shape,
    durationMs: WindowStatsSchema.shape.durationMs.meta({
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
