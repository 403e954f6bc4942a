import { z } from 'zod';
import { RUN_STATUSES } from '../../../shared/run-status.js';
import { JobListQuerySchema, JobSchema } from '../jobs/schemas.js';
import { statsWindowParam, WindowStatsSchema } from '../stats/schemas.js';
import { IsoTimestamp } from '../wire-primitives.js';

/** The dashboard's jobs page (`GET /jobs/summaries`): a page of jobs, each with its newest runs and window stats. */

export const JobSummaryQuerySchema = z.strictObject({
  ...JobListQuerySchema.shape,
  window: statsWindowParam(
    'The stats window back from now: `30m`, `24h`, `7d` (default `7d`, at most 366 days).',
  ),
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
    stats: WindowStatsSchema.meta({
      description:
        'Over the runs created in the window, as in `GET /jobs/{id}/stats`: nearest-rank percentiles of the runs with a duration.',
    }),
  })
  .meta({ id: 'JobSummary' });

export const JobSummaryPageSchema = z
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
