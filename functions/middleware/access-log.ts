import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

/** One JSON line per request: id, method, path, status and duration. */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLogMiddleware(c, next) {
    const start = performance.now();
    await next();
    c.var.services.logger.info('request', {
      requestId: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - start) * 100) / 100,
    });
  };
}
