import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../env.js';
import { loggablePath } from '../log-path.js';

/** What the middleware tells the tracer about a request as it starts. */
export interface RequestStart {
  method: string;
  /** The path as traces may keep it (functions/log-path.ts: a ping URL's secret redacted). */
  path: string;
  requestId: string;
  /** A request header by name (`traceparent`, `tracestate`). */
  header: (name: string) => string | undefined;
}

/** What the middleware tells the tracer once the response is ready. */
export interface RequestEnd {
  /** The route template (`/api/runs/{runId}`); undefined when no route matched. */
  route: string | undefined;
  status: number;
  /** What a handler threw, when one did (the response is then onError's problem). */
  error: Error | undefined;
}

/** One request's span. */
export interface RequestSpan {
  /** Runs the rest of the request inside the span, so the store calls it makes are its children. */
  run: (next: () => Promise<void>) => Promise<void>;
  end: (result: RequestEnd) => void;
}

/**
 * A tracer for requests, kept free of any tracing library so `createApp` stays runtime-agnostic:
 * the Node entry builds one over OpenTelemetry (functions/node-tracing.ts).
 */
export interface RequestTracer {
  startRequest: (request: RequestStart) => RequestSpan;
}

/**
 * The template of the route that answered, as OpenAPI writes it (`/api/runs/{runId}`), or
 * undefined when none did (a 404, the dashboard's files): middleware registered with `use` has
 * the method ALL, so the last route with a real method is the endpoint's.
 */
export function routeTemplate(c: Context<AppEnv>): string | undefined {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]!;
    if (route.method !== 'ALL') return route.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
  }
  return undefined;
}

/** A span around everything after it; registered right after `requestId`, so it carries the id. */
export function traceRequests(tracer: RequestTracer): MiddlewareHandler<AppEnv> {
  return async function tracingMiddleware(c, next) {
    const span = tracer.startRequest({
      method: c.req.method,
      path: loggablePath(c.req.path),
      requestId: c.var.requestId,
      header: (name) => c.req.header(name),
    });
    try {
      await span.run(next);
    } finally {
      span.end({ route: routeTemplate(c), status: c.res.status, error: c.error });
    }
  };
}
