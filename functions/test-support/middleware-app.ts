import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { drizzleStores } from '../../db/stores.js';
import { createJsonLogger, type Logger } from '../../shared/logger.js';
import { createServices } from '../../shared/services/index.js';
import type { AppEnv } from '../http/env.js';
import { onError } from '../http/problem.js';
import { TEST_ADMIN_KEY } from './keys.js';

/**
 * A bare app with what `createApp` sets up before its middleware runs: the request id, the
 * request's services over a real SQLite database in memory, and the one error mapping. A
 * middleware's test adds that middleware and a route or two, and calls `app.request()`.
 */
export function middlewareTestApp(options: { logger?: Logger } = {}) {
  const database = openBetterSqlite(':memory:');
  const services = createServices({
    ...drizzleStores(database),
    logger: options.logger ?? createJsonLogger({ silent: true }),
    adminApiKey: TEST_ADMIN_KEY,
  });
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(async function injectServices(c, next) {
    c.set('services', services.forRequest({ requestId: c.var.requestId }));
    await next();
  });
  app.onError(onError);
  return { app, services, database };
}
