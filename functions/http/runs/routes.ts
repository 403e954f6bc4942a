import { createRoute } from '@hono/zod-openapi';
import { createRouter, guardedResponses, jsonBody, jsonContent, requires } from '../openapi.js';
import { runDetailJson } from './presenters.js';
import { runPageResponse } from './run-json-text.js';
import {
  JobRunPageSchema,
  RunDetailSchema,
  RunIdParamsSchema,
  RunListQuerySchema,
  RunUpdateSchema,
} from './schemas.js';
import { pageResponse, setNextLink } from '../wire-primitives.js';

/**
 * A run's PATCH may carry 65,536 characters of output, which JSON can escape to 6 bytes each
 * (`\u0000`): room for that and the other fields.
 */
const RUN_UPDATE_MAX_BODY_BYTES = 512 * 1024;

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
  summary: 'Get a run, with its output',
  request: { params: RunIdParamsSchema },
  responses: {
    200: jsonContent(RunDetailSchema, 'The run, with the tail of its output.'),
    ...guardedResponses(400, 404),
  },
});

const updateRun = createRoute({
  operationId: 'updateRun',
  ...requires('write', { maxBodyBytes: RUN_UPDATE_MAX_BODY_BYTES }),
  method: 'patch',
  path: '/{runId}',
  tags: ['runs'],
  summary: 'Move a run through its life, or amend it',
  description:
    'Allowed moves: PENDING→RUNNING, PENDING→CANCELLED, RUNNING→SUCCESS|FAILED|CANCELLED. ' +
    'startedAt is set on entering RUNNING and finishedAt on reaching a terminal state, unless given. ' +
    '`exitCode`, `output` and `metadata` may be amended at any time; `output` is at most 65,536 characters.',
  request: { params: RunIdParamsSchema, body: jsonBody(RunUpdateSchema) },
  responses: {
    200: jsonContent(RunDetailSchema, 'The updated run, with its output.'),
    ...guardedResponses(400, 404, 409, 413, 415),
  },
});

const heartbeatRun = createRoute({
  operationId: 'heartbeatRun',
  ...requires('write'),
  method: 'post',
  path: '/{runId}/heartbeat',
  tags: ['runs'],
  summary: 'Tell the tracker a run is still alive',
  description:
    'Records `lastHeartbeatAt` for a PENDING or RUNNING run; no body is needed (any is ignored). ' +
    "Cheap to call often: at most one write per run every 5 s (or a quarter of its job's " +
    '`heartbeatTimeoutSeconds` when that is shorter); a heartbeat within that interval is ' +
    'answered 204 and not written. 409 when the run has already finished, for instance failed by ' +
    'the sweeper ("heartbeat lost", "timed out") or cancelled: the caller should stop.',
  request: { params: RunIdParamsSchema },
  responses: {
    204: { description: 'Alive: the heartbeat is recorded (or one was, moments ago).' },
    ...guardedResponses(400, 404, 409, 413),
  },
});

export const runsApi = createRouter()
  .openapi(listRuns, async (c) => {
    const page = await c
      .get('services')
      .runs.list(c.req.valid('query'), c.get('principal').projectId);
    setNextLink(c, page.nextCursor);
    return runPageResponse(c, page);
  })
  .openapi(getRun, async (c) => {
    const run = await c
      .get('services')
      .runs.get(c.req.valid('param').runId, c.get('principal').projectId);
    return c.json(runDetailJson(run), 200);
  })
  .openapi(updateRun, async (c) => {
    const run = await c
      .get('services')
      .runs.update(c.req.valid('param').runId, c.req.valid('json'), c.get('principal').projectId);
    return c.json(runDetailJson(run), 200);
  })
  .openapi(heartbeatRun, async (c) => {
    await c
      .get('services')
      .runs.heartbeat(c.req.valid('param').runId, c.get('principal').projectId);
    return c.body(null, 204);
  });
