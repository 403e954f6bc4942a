import { createRoute } from '@hono/zod-openapi';
import { idempotent, RUN_CREATION } from '../middleware/idempotency.js';
import { createRouter, guardedResponses, jsonBody, jsonContent, requires } from '../openapi.js';
import { jobJson } from '../jobs/presenters.js';
import {
  JobByKeyQuerySchema,
  JobByKeyRunListQuerySchema,
  JobKeyParamsSchema,
  JobPutSchema,
  JobSchema,
  JobUpdateSchema,
} from '../jobs/schemas.js';
import { runJson, RUNS_PAGE_ETAG } from '../runs/presenters.js';
import { notModifiedResponse, withBodyETag, withConditionalHeaders } from '../conditional.js';
import { jobRunsPageResponse, runsPageUnchanged } from '../runs/job-runs-page.js';
import { JobRunPageSchema, JobRunSchema, RunCreateSchema } from '../runs/schemas.js';
import { pageResponse } from '../wire-primitives.js';

/**
 * `/jobs/by-key/{key}`: the job routes that scripts use, addressing a job by its key in a project
 * instead of its id. Mounted before `/jobs`, whose `/{id}` routes would otherwise answer them.
 */

const PROJECT_NOTE =
  "The key is looked up in the caller's project: a project-scoped API key's own, else `?projectId=` (default 1, `default`).";

const getJobByKey = createRoute({
  operationId: 'getJobByKey',
  ...withBodyETag(requires('read')),
  method: 'get',
  path: '/{key}',
  tags: ['jobs'],
  summary: 'Get a job by its key',
  description: `As \`GET /jobs/{id}\`, ETag included. ${PROJECT_NOTE}`,
  request: { params: JobKeyParamsSchema, query: JobByKeyQuerySchema },
  responses: {
    200: withConditionalHeaders(jsonContent(JobSchema, 'The job.')),
    304: notModifiedResponse,
    ...guardedResponses(400, 404),
  },
});

const updateJobByKey = createRoute({
  operationId: 'updateJobByKey',
  ...requires('write'),
  method: 'patch',
  path: '/{key}',
  tags: ['jobs'],
  summary: 'Update a job by its key',
  description: `As \`PATCH /jobs/{id}\`; \`key\` in the body renames it. ${PROJECT_NOTE}`,
  request: {
    params: JobKeyParamsSchema,
    query: JobByKeyQuerySchema,
    body: jsonBody(JobUpdateSchema),
  },
  responses: {
    200: jsonContent(JobSchema, 'The updated job.'),
    ...guardedResponses(400, 404, 409, 413, 415),
  },
});

const putJobByKey = createRoute({
  operationId: 'putJobByKey',
  ...requires('write'),
  method: 'put',
  path: '/{key}',
  tags: ['jobs'],
  summary: 'Create or update a job by its key',
  description: `Creates the job with this key (201; named after the key unless \`name\` is given), or updates the given fields of the one that has it (200). ${PROJECT_NOTE}`,
  request: {
    params: JobKeyParamsSchema,
    query: JobByKeyQuerySchema,
    body: jsonBody(JobPutSchema, false),
  },
  responses: {
    200: jsonContent(JobSchema, 'The updated job.'),
    201: jsonContent(JobSchema, 'The created job; `Location` points at it.'),
    ...guardedResponses(400, 404, 413, 415),
  },
});

const listJobRunsByKey = createRoute({
  operationId: 'listJobRunsByKey',
  ...requires('read'),
  method: 'get',
  path: '/{key}/runs',
  tags: ['runs'],
  summary: "List a job's runs, by the job's key",
  description: `As \`GET /jobs/{id}/runs\`. ${RUNS_PAGE_ETAG} ${PROJECT_NOTE}`,
  request: { params: JobKeyParamsSchema, query: JobByKeyRunListQuerySchema },
  responses: {
    200: withConditionalHeaders(pageResponse(JobRunPageSchema, 'A page of runs.')),
    304: notModifiedResponse,
    ...guardedResponses(400, 404),
  },
});

const createRunByKey = idempotent(
  RUN_CREATION,
  createRoute({
    operationId: 'createRunByKey',
    ...requires('write'),
    method: 'post',
    path: '/{key}/runs',
    tags: ['runs'],
    summary: 'Record a new run of a job, by its key, creating the job on first use',
    description: `As \`POST /jobs/{id}/runs\`; when the project has no job with the key, one is created first (named after the key), so a new crontab line needs no setup. ${PROJECT_NOTE}`,
    request: {
      params: JobKeyParamsSchema,
      query: JobByKeyQuerySchema,
      body: jsonBody(RunCreateSchema, false),
    },
    responses: {
      201: jsonContent(JobRunSchema, 'The created run; `Location` points at it.'),
      ...guardedResponses(400, 404, 409, 413, 415),
    },
  }),
);

export const jobsByKeyApi = createRouter()
  .openapi(getJobByKey, async (c) => {
    const ref = { ...c.req.valid('param'), ...c.req.valid('query') };
    const job = await c.get('services').jobs.getByKey(ref, c.get('principal').projectId);
    return c.json(
      jobJson(job, c.get('principal').scope, c.get('services').now(), c.get('services').links),
      200,
    );
  })
  .openapi(updateJobByKey, async (c) => {
    const ref = { ...c.req.valid('param'), ...c.req.valid('query') };
    const job = await c
      .get('services')
      .jobs.updateByKey(ref, c.req.valid('json'), c.get('principal').projectId);
    return c.json(
      jobJson(job, c.get('principal').scope, c.get('services').now(), c.get('services').links),
      200,
    );
  })
  .openapi(putJobByKey, async (c) => {
    const ref = { ...c.req.valid('param'), ...c.req.valid('query') };
    const { job, created } = await c
      .get('services')
      .jobs.put(ref, c.req.valid('json'), c.get('principal').projectId);
    if (!created)
      return c.json(
        jobJson(job, c.get('principal').scope, c.get('services').now(), c.get('services').links),
        200,
      );
    c.header('Location', `/api/jobs/${job.id}`);
    return c.json(
      jobJson(job, c.get('principal').scope, c.get('services').now(), c.get('services').links),
      201,
    );
  })
  .openapi(listJobRunsByKey, async (c) => {
    const { projectId, ...filters } = c.req.valid('query');
    const scope = c.get('principal').projectId;
    const job = await c
      .get('services')
      .jobs.getByKey({ ...c.req.valid('param'), projectId }, scope);
    if (await runsPageUnchanged(c, job.id, scope)) return c.body(null, 304);
    const read = await c.get('services').runs.listOfJob(job.id, filters, scope);
    return jobRunsPageResponse(c, job.id, read);
  })
  .openapi(createRunByKey, async (c) => {
    const ref = { ...c.req.valid('param'), ...c.req.valid('query') };
    const scope = c.get('principal').projectId;
    const job = await c.get('services').jobs.findOrCreateByKey(ref, scope);
    // The run, not the job, completes the idempotency key: a retry after a crash between the two
    // finds the job and creates the run.
    const run = await c
      .get('services')
      .runs.create(job.id, c.req.valid('json'), scope, c.get('idempotency'));
    c.header('Location', `/api/runs/${run.id}`);
    return c.json(runJson(run), 201);
  });
