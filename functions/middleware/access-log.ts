import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

/** One JSON line per request: id, method, path, status, duration and the key's id. */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLogMiddleware(c, next) {
    const start = performance.now();
    await next();
    c.var.services.logger.info('request', {
      requestId: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      // Which key: its id (never the secret), or the bootstrap/AUTH=off principal's name.
      ...(c.var.principal ? { key: c.var.principal.keyId ?? c.var.principal.name } : {}),
      durationMs: Math.round((performance.now() - start) * 100) / 100,
    });
  };
}
