import type { Scope } from '../../../shared/access.js';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { STATS_WINDOW } from '../../../shared/inputs.js';
import { RUN_STATUSES } from '../../../shared/run-status.js';
import type { JobSummaryPage } from '../../../shared/services/job-summary-service.js';
import { createRouter, guardedResponses, requires } from '../openapi.js';
import { pageResponse, setNextLink } from '../pagination.js';
import { jobJson } from '../presenters.js';
import { JobListQuerySchema, JobSchema } from '../schemas.js';
import { isoTime } from '../../../shared/iso-time.js';
import { IsoTimestamp } from '../wire-primitives.js';

/**
 * `GET /api/jobs/summaries`: the dashboard's jobs page in one call. A page of `GET /api/jobs`
 * (same filters, sort and cursors), each job with its 30 newest runs and its stats over a window.
 */

const JobSummaryQuerySchema = z.strictObject({
  ...JobListQuerySchema.shape,
  window: z
    .string()
    .regex(STATS_WINDOW, 'must be a number followed by m, h or d, e.g. 7d')
    .optional()
    .meta({
      description:
        'The stats window back from now: `30m`, `24h`, `7d` (default `7d`, at most 366 days).',
      example: '7d',
    }),
});

const RecentRunSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(RUN_STATUSES),
    createdAt: IsoTimestamp,
    durationMs: z.number().int().nullable(),
  })
  .meta({ id: 'RecentRun', description: 'One of the newest runs of a job, for its strip.' });

const JobSummarySchema = z
  .object({
    job: JobSchema,
    recentRuns: z.array(RecentRunSchema).meta({
      description: "The job's 30 newest runs (by createdAt, then id), newest first, of any age.",
    }),
    stats: z
      .object({
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
      })
      .meta({
        description:
          'Over the runs created in the window, as in `GET /jobs/{id}/stats`: nearest-rank percentiles of the runs with a duration.',
      }),
  })
  .meta({ id: 'JobSummary' });

const JobSummaryPageSchema = z
  .object({
    from: IsoTimestamp.meta({ description: 'Window start (inclusive).' }),
    to: IsoTimestamp.meta({ description: 'Window end (exclusive): now.' }),
    data: z.array(JobSummarySchema),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Cursor for the next page; null on the last page.' }),
  })
  .meta({ id: 'JobSummaryPage' });

const summaryPageJson = (
  page: JobSummaryPage,
  scope: Scope,
): z.infer<typeof JobSummaryPageSchema> => ({
  from: isoTime(page.from),
  to: isoTime(page.to),
  data: page.data.map((summary) => ({
    job: jobJson(summary.job, scope, page.to),
    recentRuns: summary.recentRuns.map((run) => ({
      id: run.id,
      status: run.status,
      createdAt: isoTime(run.createdAt),
      durationMs: run.durationMs,
    })),
    stats: summary.stats,
  })),
  nextCursor: page.nextCursor,
});

const listJobSummaries = createRoute({
  operationId: 'listJobSummaries',
  ...requires('read'),
  method: 'get',
  path: '/',
  tags: ['jobs'],
  summary: 'List jobs with their recent runs and stats',
  description:
    "A page of `GET /jobs` (the same filters, sort and cursors) where each job comes with its 30 newest runs and its stats over `window`: the dashboard's jobs page in one request, whatever the number of jobs.",
  request: { query: JobSummaryQuerySchema },
  responses: {
    200: pageResponse(JobSummaryPageSchema, 'A page of jobs with their summaries.'),
    ...guardedResponses(400),
  },
});

export const jobSummariesApi = createRouter().openapi(listJobSummaries, async (c) => {
  const page = await c.var.services.jobSummaries.list(
    c.req.valid('query'),
    c.var.principal.projectId,
  );
  setNextLink(c, page.nextCursor);
  return c.json(summaryPageJson(page, c.var.principal.scope), 200);
});
