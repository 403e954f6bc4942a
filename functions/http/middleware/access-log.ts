import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { loggablePath } from './log-path.js';
import { routeLabel } from '../route-path.js';

/**
 * One JSON line per request: method, path (a ping URL's secret redacted), the route that matched (`/api/runs/{runId}`, as metrics and spans name it, so lines group
 * by endpoint), status, duration and the key's id. The request id comes with the request's logger.
 */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLogMiddleware(c, next) {
    const start = performance.now();
    await next();
    c.get('services').logger.info('request', {
      method: c.req.method,
      path: loggablePath(c.req.path),
      route: routeLabel(c),
      status: c.res.status,
      // Which key: its id (never the secret), or the bootstrap/AUTH=off principal's name.
      ...(c.get('principal') ? { key: c.get('principal').keyId ?? c.get('principal').name } : {}),
      durationMs: Math.round((performance.now() - start) * 100) / 100,
    });
  };
}
