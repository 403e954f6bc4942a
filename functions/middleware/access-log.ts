import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../env.js';

/**
 * One JSON line per request: method, path, the route that matched (`/api/runs/:id`, so lines group
 * by endpoint), status, duration and the key's id. The request id comes with the request's logger.
 */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLogMiddleware(c, next) {
    const start = performance.now();
    await next();
    c.var.services.logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      route: routePath(c, -1),
      status: c.res.status,
      // Which key: its id (never the secret), or the bootstrap/AUTH=off principal's name.
      ...(c.var.principal ? { key: c.var.principal.keyId ?? c.var.principal.name } : {}),
      durationMs: Math.round((performance.now() - start) * 100) / 100,
    });
  };
}
