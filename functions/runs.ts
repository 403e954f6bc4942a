import { createRoute } from '@hono/zod-openapi';
import { JobRunSchema, RunIdParamsSchema, RunUpdateSchema } from '../shared/schemas.js';
import { createRouter, jsonBody, jsonContent, problemResponses } from './openapi.js';
import { runJson } from './presenters.js';

const getRun = createRoute({
  method: 'get',
  path: '/{runId}',
  tags: ['runs'],
  summary: 'Get a run',
  request: { params: RunIdParamsSchema },
  responses: { 200: jsonContent(JobRunSchema, 'The run.'), ...problemResponses(400, 404) },
});

const updateRun = createRoute({
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
    ...problemResponses(400, 404, 409, 413, 415),
  },
});

export const runsApi = createRouter()
  .openapi(getRun, async (c) => {
    const run = await c.var.services.runs.get(c.req.valid('param').runId);
    return c.json(runJson(run), 200);
  })
  .openapi(updateRun, async (c) => {
    const run = await c.var.services.runs.update(c.req.valid('param').runId, c.req.valid('json'));
    return c.json(runJson(run), 200);
  });
