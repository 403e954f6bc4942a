import { createRoute } from '@hono/zod-openapi';
import {
  JobRunPageSchema,
  JobRunSchema,
  RunIdParamsSchema,
  RunListQuerySchema,
  RunUpdateSchema,
} from './schemas.js';
import { pageResponse, setNextLink } from './pagination.js';
import { createRouter, guardedResponses, jsonBody, jsonContent, requires } from './openapi.js';
import { pageJson, runJson } from './presenters.js';

const listRuns = createRoute({
  operationId: 'listRuns',
  ...requires('read'),
  method: 'get',
  path: '/',
  tags: ['runs'],
  summary: 'List runs across all jobs',
  description:
    'Newest first by default. Filters combine; paging is by keyset cursor (`nextCursor`, also in `Link`).',
  request: { query: RunListQuerySchema },
  responses: { 200: pageResponse(JobRunPageSchema, 'A page of runs.'), ...guardedResponses(400) },
});

const getRun = createRoute({
  operationId: 'getRun',
  ...requires('read'),
  method: 'get',
  path: '/{runId}',
  tags: ['runs'],
  summary: 'Get a run',
  request: { params: RunIdParamsSchema },
  responses: { 200: jsonContent(JobRunSchema, 'The run.'), ...guardedResponses(400, 404) },
});

const updateRun = createRoute({
  operationId: 'updateRun',
  ...requires('write'),
  method: 'patch',
  path: '/{runId}',
  tags: ['runs'],
  summary: 'Move a run through its life, or amend it',
  description:
    'Allowed moves: PENDING→RUNNING, PENDING→CANCELLED, RUNNING→SUCCESS|FAILED|CANCELLED. ' +
    'startedAt is set on entering RUNNING and finishedAt on reaching a terminal state, unless given.',
  request: { params: RunIdParamsSchema, body: jsonBody(RunUpdateSchema) },
  responses: {
    200: jsonContent(JobRunSchema, 'The updated run.'),
    ...guardedResponses(400, 404, 409, 413, 415),
  },
});

export const runsApi = createRouter()
  .openapi(listRuns, async (c) => {
    const page = await c.var.services.runs.list(c.req.valid('query'), c.var.principal.projectId);
    setNextLink(c, page.nextCursor);
    return c.json(pageJson(page, runJson), 200);
  })
  .openapi(getRun, async (c) => {
    const run = await c.var.services.runs.get(
      c.req.valid('param').runId,
      c.var.principal.projectId,
    );
    return c.json(runJson(run), 200);
  })
  .openapi(updateRun, async (c) => {
    const run = await c.var.services.runs.update(
      c.req.valid('param').runId,
      c.req.valid('json'),
      c.var.principal.projectId,
    );
    return c.json(runJson(run), 200);
  });
