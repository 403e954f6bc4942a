import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import type { Logger } from '../../shared/logger.js';
import type { AppEnv } from '../../functions/http/env.js';
import { onError } from '../../functions/http/problem.js';
import { testRuntime } from './runtime.js';

/**
 * A bare app with what `createApp` sets up before its middleware runs: the request id, the
 * request's services (the production wiring, `testRuntime`) over SQLite `:memory:`, and the one
 * error mapping. A middleware's test adds that middleware and a route or two, and calls
 * `app.request()`.
 */
export function middlewareTestApp(options: { logger?: Logger } = {}) {
  const database = openBetterSqlite(':memory:');
  const { services } = testRuntime(database, options.logger);
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(async function injectServices(c, next) {
    c.set('services', services.forRequest({ requestId: c.get('requestId') }));
    await next();
  });
  app.onError(onError);
  return { app, services, database };
}
