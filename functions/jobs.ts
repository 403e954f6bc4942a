import { createRoute } from '@hono/zod-openapi';
import {
  JobCreateSchema,
  JobIdParamsSchema,
  JobListQuerySchema,
  JobPageSchema,
  JobRunPageSchema,
  JobRunSchema,
  JobSchema,
  JobUpdateSchema,
  PageQuerySchema,
  RunCreateSchema,
} from '../shared/schemas.js';
import { createRouter, jsonBody, jsonContent, problemResponses } from './openapi.js';
import { jobJson, pageJson, runJson } from './presenters.js';

const listJobs = createRoute({
  method: 'get',
  path: '/',
  tags: ['jobs'],
  summary: 'List jobs, newest first',
  request: { query: JobListQuerySchema },
  responses: { 200: jsonContent(JobPageSchema, 'A page of jobs.'), ...problemResponses(400) },
});

const createJob = createRoute({
  method: 'post',
  path: '/',
  tags: ['jobs'],
  summary: 'Create a job',
  request: { body: jsonBody(JobCreateSchema) },
  responses: {
    201: jsonContent(JobSchema, 'The created job; `Location` points at it.'),
    ...problemResponses(400, 413, 415),
  },
});

const getJob = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['jobs'],
  summary: 'Get a job',
  request: { params: JobIdParamsSchema },
  responses: { 200: jsonContent(JobSchema, 'The job.'), ...problemResponses(400, 404) },
});

const updateJob = createRoute({
  method: 'patch',
  path: '/{id}',
  tags: ['jobs'],
  summary: 'Update or archive a job',
  request: { params: JobIdParamsSchema, body: jsonBody(JobUpdateSchema) },
  responses: {
    200: jsonContent(JobSchema, 'The updated job.'),
    ...problemResponses(400, 404, 413, 415),
  },
});

const listJobRuns = createRoute({
  method: 'get',
  path: '/{id}/runs',
  tags: ['runs'],
  summary: "List a job's runs, newest first",
  request: { params: JobIdParamsSchema, query: PageQuerySchema },
  responses: {
    200: jsonContent(JobRunPageSchema, 'A page of runs.'),
    ...problemResponses(400, 404),
  },
});

const createRun = createRoute({
  method: 'post',
  path: '/{id}/runs',
  tags: ['runs'],
  summary: 'Record a new run of a job',
  description: 'An empty body counts as `{}`: the run starts PENDING.',
  request: { params: JobIdParamsSchema, body: jsonBody(RunCreateSchema, false) },
  responses: {
    201: jsonContent(JobRunSchema, 'The created run; `Location` points at it.'),
    ...problemResponses(400, 404, 409, 413, 415),
  },
});

export const jobsApi = createRouter()
  .openapi(listJobs, async (c) => {
    const page = await c.var.services.jobs.list(c.req.valid('query'));
    return c.json(pageJson(page, jobJson), 200);
  })
  .openapi(createJob, async (c) => {
    const job = await c.var.services.jobs.create(c.req.valid('json'));
    c.header('Location', `/jobs/${job.id}`);
    return c.json(jobJson(job), 201);
  })
  .openapi(getJob, async (c) => {
    const job = await c.var.services.jobs.get(c.req.valid('param').id);
    return c.json(jobJson(job), 200);
  })
  .openapi(updateJob, async (c) => {
    const job = await c.var.services.jobs.update(c.req.valid('param').id, c.req.valid('json'));
    return c.json(jobJson(job), 200);
  })
  .openapi(listJobRuns, async (c) => {
    const page = await c.var.services.runs.listForJob(
      c.req.valid('param').id,
      c.req.valid('query'),
    );
    return c.json(pageJson(page, runJson), 200);
  })
  .openapi(createRun, async (c) => {
    const run = await c.var.services.runs.create(c.req.valid('param').id, c.req.valid('json'));
    c.header('Location', `/runs/${run.id}`);
    return c.json(runJson(run), 201);
  });
