import { createRoute } from '@hono/zod-openapi';
import { HealthSchema } from '../shared/schemas.js';
import { createRouter, jsonContent } from './openapi.js';

const getHealth = createRoute({
  operationId: 'getHealth',
  method: 'get',
  path: '/',
  tags: ['health'],
  summary: 'Liveness and database reachability',
  responses: {
    200: jsonContent(HealthSchema, 'The service and its database answer.'),
    503: jsonContent(HealthSchema, 'The database does not answer.'),
  },
});

export const health = createRouter().openapi(getHealth, async (c) => {
  try {
    await c.var.services.probe();
    return c.json({ status: 'ok' as const }, 200);
  } catch (error) {
    c.var.services.logger.error('health probe failed', {
      requestId: c.var.requestId,
      error: error instanceof Error ? error.message : String(error),
    });
    return c.json({ status: 'error' as const }, 503);
  }
});
