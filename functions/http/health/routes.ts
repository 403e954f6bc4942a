import { errorMessage } from '../../../shared/errors.js';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../env.js';
import { createRouter, jsonContent } from '../openapi.js';
import { HealthSchema } from './schemas.js';

const getHealth = createRoute({
  operationId: 'getHealth',
  method: 'get',
  path: '/',
  tags: ['health'],
  summary: 'Liveness and database reachability',
  description:
    'Needs no key and is never rate limited. Also answered at the root, `GET /health`, for probes.',
  security: [],
  responses: {
    200: jsonContent(
      HealthSchema,
      'The service and its database answer: `ok`, or `degraded` with `storage: "full"` while writes are refused for want of space.',
    ),
    503: jsonContent(HealthSchema, 'The database does not answer.'),
  },
});

/**
 * 200 when the database answers, 503 when it does not (logged with the request id). A full
 * volume is `degraded` but still 200: the process serves reads, and neither restarting it (a
 * liveness probe) nor taking it out of the load balancer (a readiness probe) frees a byte, while
 * both would stop the reads too. Alerts come from `chronotrack_storage_full` and the log.
 */
export async function healthCheck(c: Context<AppEnv>) {
  try {
    const { storageFull } = await c.get('services').probe();
    if (storageFull) return c.json({ status: 'degraded' as const, storage: 'full' as const }, 200);
    return c.json({ status: 'ok' as const }, 200);
  } catch (error) {
    c.get('services').logger.error('health probe failed', {
      error: errorMessage(error),
    });
    return c.json({ status: 'error' as const }, 503);
  }
}

export const health = createRouter().openapi(getHealth, healthCheck);
