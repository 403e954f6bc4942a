import type { MiddlewareHandler } from 'hono';
import type { Registry as RegistryType } from 'prom-client';
import type { AppEnv } from '../env.js';
import { routeLabel } from '../route-path.js';

/**
 * What only the Node process measures (functions/runtime/node-metrics.ts builds it with prom-client):
 * its default `process_*`/`nodejs_*` metrics and the HTTP request histogram. The Worker has
 * none: an isolate's own figures would describe one of many short-lived isolates.
 */
export interface ProcessMetrics {
  /** Served before the job metrics on every scrape. */
  registry: RegistryType;
  /** Records one answered request under its route template (`/api/runs/{runId}`). */
  observeRequest(labels: { method: string; route: string; status: string }, seconds: number): void;
}

/** Times every request into `observeRequest`, labelled with the route that answered it. */
export function requestMetrics(metrics: ProcessMetrics): MiddlewareHandler<AppEnv> {
  return async function requestMetricsMiddleware(c, next) {
    const start = performance.now();
    try {
      await next();
    } finally {
      metrics.observeRequest(
        {
          method: c.req.method,
          route: routeLabel(c),
          status: String(c.res.status),
        },
        (performance.now() - start) / 1000,
      );
    }
  };
}
