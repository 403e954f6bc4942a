import { createRoute } from '@hono/zod-openapi';
import { createRouter, guardedResponses, requires } from '../openapi.js';
import { pageResponse, setNextLink } from '../wire-primitives.js';
import { summaryPageJson } from './presenters.js';
import { JobSummaryPageSchema, JobSummaryQuerySchema } from './schemas.js';

/**
 * `GET /api/jobs/summaries`: the dashboard's jobs page in one call. A page of `GET /api/jobs`
 * (same filters, sort and cursors), each job with its 30 newest runs and its stats over a window.
 */

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
  const page = await c
    .get('services')
    .jobSummaries.list(c.req.valid('query'), c.get('principal').projectId);
  setNextLink(c, page.nextCursor);
  return c.json(summaryPageJson(page, c.get('principal').scope, c.get('services').links), 200);
});
