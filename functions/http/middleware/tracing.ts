import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { loggablePath } from './log-path.js';
import { routeTemplate } from '../route-path.js';

/** What the middleware tells the tracer about a request as it starts. */
export interface RequestStart {
  method: string;
  /** The path as traces may keep it (functions/http/middleware/log-path.ts: a ping URL's secret redacted). */
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
 * the Node entry builds one over OpenTelemetry (functions/runtime/node-tracing.ts).
 */
export interface RequestTracer {
  startRequest: (request: RequestStart) => RequestSpan;
}

/** A span around everything after it; registered right after `requestId`, so it carries the id. */
export function traceRequests(tracer: RequestTracer): MiddlewareHandler<AppEnv> {
  return async function tracingMiddleware(c, next) {
    const span = tracer.startRequest({
      method: c.req.method,
      path: loggablePath(c.req.path),
      requestId: c.get('requestId'),
      header: (name) => c.req.header(name),
    });
    try {
      await span.run(next);
    } finally {
      span.end({ route: routeTemplate(c), status: c.res.status, error: c.error });
    }
  };
}
