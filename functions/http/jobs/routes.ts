import { createRoute } from '@hono/zod-openapi';
import { idempotent, JOB_CREATION, RUN_CREATION } from '../middleware/idempotency.js';
import { createRouter, guardedResponses, jsonBody, jsonContent, requires } from '../openapi.js';
import { jobJson } from './presenters.js';
import {
  JobCreateSchema,
  JobIdParamsSchema,
  JobListQuerySchema,
  JobPageSchema,
  JobSchema,
  JobUpdateSchema,
} from './schemas.js';
import { runJson, RUNS_PAGE_ETAG } from '../runs/presenters.js';
import { notModifiedResponse, withBodyETag, withConditionalHeaders } from '../conditional.js';
import { jobRunsPageResponse, runsPageUnchanged } from '../runs/job-runs-page.js';
import {
  JobRunListQuerySchema,
  JobRunPageSchema,
  JobRunSchema,
  RunCreateSchema,
} from '../runs/schemas.js';
import { statsJson } from '../stats/presenters.js';
import { JobStatsQuerySchema, JobStatsSchema } from '../stats/schemas.js';
import { pageJson, pageResponse, setNextLink } from '../wire-primitives.js';

const listJobs = createRoute({
  operationId: 'listJobs',
  ...requires('read'),
  method: 'get',
  path: '/',
  tags: ['jobs'],
  summary: 'List jobs',
  description:
    'Newest first by default. Filters combine; paging is by keyset cursor (`nextCursor`, also in `Link`).',
  request: { query: JobListQuerySchema },
  responses: { 200: pageResponse(JobPageSchema, 'A page of jobs.'), ...guardedResponses(400) },
});

const createJob = idempotent(
  JOB_CREATION,
  createRoute({
    operationId: 'createJob',
    ...requires('write'),
    method: 'post',
    path: '/',
    tags: ['jobs'],
    summary: 'Create a job',
    description:
      'Without a `key`, the job gets one derived from its name (`Nightly backup` → `nightly-backup`, then `nightly-backup-2`... when taken); a `key` given that another job of the project has is a 409.',
    request: { body: jsonBody(JobCreateSchema) },
    responses: {
      201: jsonContent(JobSchema, 'The created job; `Location` points at it.'),
      ...guardedResponses(400, 404, 409, 413, 415),
    },
  }),
);

const getJob = createRoute({
  operationId: 'getJob',
  ...withBodyETag(requires('read')),
  method: 'get',
  path: '/{id}',
  tags: ['jobs'],
  summary: 'Get a job',
  description:
    'Answers carry an `ETag` (of the JSON: the health moves with time); `If-None-Match` with it gets a 304 while the job is unchanged.',
  request: { params: JobIdParamsSchema },
  responses: {
    200: withConditionalHeaders(jsonContent(JobSchema, 'The job.')),
    304: notModifiedResponse,
    ...guardedResponses(400, 404),
  },
});

const updateJob = createRoute({
  operationId: 'updateJob',
  ...requires('write'),
  method: 'patch',
  path: '/{id}',
  tags: ['jobs'],
  summary: 'Update or archive a job',
  request: { params: JobIdParamsSchema, body: jsonBody(JobUpdateSchema) },
  responses: {
    200: jsonContent(JobSchema, 'The updated job.'),
    ...guardedResponses(400, 404, 409, 413, 415),
  },
});

const listJobRuns = createRoute({
  operationId: 'listJobRuns',
  ...requires('read'),
  method: 'get',
  path: '/{id}/runs',
  tags: ['runs'],
  summary: "List a job's runs",
  description: `Newest first by default. Filters combine; paging is by keyset cursor (\`nextCursor\`, also in \`Link\`). ${RUNS_PAGE_ETAG}`,
  request: { params: JobIdParamsSchema, query: JobRunListQuerySchema },
  responses: {
    200: withConditionalHeaders(pageResponse(JobRunPageSchema, 'A page of runs.')),
    304: notModifiedResponse,
    ...guardedResponses(400, 404),
  },
});

const createRun = idempotent(
  RUN_CREATION,
  createRoute({
    operationId: 'createRun',
    ...requires('write'),
    method: 'post',
    path: '/{id}/runs',
    tags: ['runs'],
    summary: 'Record a new run of a job',
    description: 'An empty body counts as `{}`: the run starts PENDING.',
    request: { params: JobIdParamsSchema, body: jsonBody(RunCreateSchema, false) },
    responses: {
      201: jsonContent(JobRunSchema, 'The created run; `Location` points at it.'),
      ...guardedResponses(400, 404, 409, 413, 415),
    },
  }),
);

const getJobStats = createRoute({
  operationId: 'getJobStats',
  ...requires('read'),
  method: 'get',
  path: '/{id}/stats',
  tags: ['jobs'],
  summary: "A job's run statistics over a time window",
  description:
    'Counts by status, success rate and duration percentiles of the runs created in the window (default the last 7 days), and the latest run, success and failure.',
  request: { params: JobIdParamsSchema, query: JobStatsQuerySchema },
  responses: { 200: jsonContent(JobStatsSchema, 'The statistics.'), ...guardedResponses(400, 404) },
});

export const jobsApi = createRouter()
  .openapi(listJobs, async (c) => {
    const page = await c
      .get('services')
      .jobs.list(c.req.valid('query'), c.get('principal').projectId);
    setNextLink(c, page.nextCursor);
    return c.json(
      pageJson(page, (job) =>
        jobJson(job, c.get('principal').scope, c.get('services').now(), c.get('services').links),
      ),
      200,
    );
  })
  .openapi(createJob, async (c) => {
    const job = await c
      .get('services')
      .jobs.create(c.req.valid('json'), c.get('principal').projectId, c.get('idempotency'));
    c.header('Location', `/api/jobs/${job.id}`);
    return c.json(
      jobJson(job, c.get('principal').scope, c.get('services').now(), c.get('services').links),
      201,
    );
  })
  .openapi(getJob, async (c) => {
    const job = await c
      .get('services')
      .jobs.get(c.req.valid('param').id, c.get('principal').projectId);
    return c.json(
      jobJson(job, c.get('principal').scope, c.get('services').now(), c.get('services').links),
      200,
    );
  })
  .openapi(updateJob, async (c) => {
    const job = await c
      .get('services')
      .jobs.update(c.req.valid('param').id, c.req.valid('json'), c.get('principal').projectId);
    return c.json(
      jobJson(job, c.get('principal').scope, c.get('services').now(), c.get('services').links),
      200,
    );
  })
  .openapi(listJobRuns, async (c) => {
    const { id } = c.req.valid('param');
    const scope = c.get('principal').projectId;
    if (await runsPageUnchanged(c, id, scope)) return c.body(null, 304);
    const read = await c.get('services').runs.listOfJob(id, c.req.valid('query'), scope);
    return jobRunsPageResponse(c, id, read);
  })
  .openapi(getJobStats, async (c) => {
    const stats = await c
      .get('services')
      .runs.stats(c.req.valid('param').id, c.req.valid('query'), c.get('principal').projectId);
    return c.json(statsJson(stats), 200);
  })
  .openapi(createRun, async (c) => {
    const run = await c
      .get('services')
      .runs.create(
        c.req.valid('param').id,
        c.req.valid('json'),
        c.get('principal').projectId,
        c.get('idempotency'),
      );
    c.header('Location', `/api/runs/${run.id}`);
    return c.json(runJson(run), 201);
  });
