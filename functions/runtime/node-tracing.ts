/**
 * OpenTelemetry tracing for the Node entry, loaded with `import()` only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set: with tracing off, not one OpenTelemetry module is loaded and
 * no request does any tracing work.
 *
 * Nothing is registered globally (no global tracer provider, context manager or propagator): the
 * request span is handed to the database spans through this module's own AsyncLocalStorage, so
 * two apps in one process (tests) never share a tracer.
 *
 * The build makes this file a bundle of its own (scripts/build-node.mjs), so it imports nothing of
 * Hono's at run time: a second copy of Hono would not recognise the first one's request symbols.
 * What needs Hono (the route template) is in functions/http/middleware/tracing.ts.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type TextMapGetter,
} from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../../shared/logger.js';
import { VERSION } from '../../shared/version.js';
import type { Stores } from '../../shared/services/index.js';
import type { RequestStart, RequestTracer } from '../http/middleware/tracing.js';

export interface NodeTracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans go to `<it>/v1/traces`. */
  endpoint: string;
  /** OTEL_SERVICE_NAME. */
  serviceName: string;
  /** OTEL_BSP_SCHEDULE_DELAY: milliseconds between two batch exports. */
  scheduleDelayMillis: number;
  /** The upper bound shutdown waits for the last export (an unreachable collector). */
  shutdownTimeoutMillis?: number;
  /** Where a failed export is reported (at most once a minute). */
  logger: Logger;
}

export interface NodeTracing {
  /** Request spans: give it to `createApp({ tracing })`, which runs them after the request id. */
  tracer: RequestTracer;
  /** The same stores, each method call a client span under the request span. */
  traceStores: (stores: Stores) => Stores;
  /** Exports what is still queued, then stops; never waits longer than the shutdown timeout. */
  shutdown: () => Promise<void>;
}

const headerGetter: TextMapGetter<RequestStart> = {
  get: (request, key) => request.header(key),
  // Only `traceparent` and `tracestate` are read, by name.
  keys: () => [],
};

const EXPORT_WARNING_INTERVAL_MS = 60_000;

/**
 * The exporter, reporting failed exports to our log: the SDK's own reports go to the global `diag`
 * logger, silent unless registered, so an unreachable collector would lose every span unnoticed.
 */
function reportingFailures(exporter: SpanExporter, logger: Logger): SpanExporter {
  let lastWarning = -Infinity;
  let dropped = 0;
  return {
    export(spans, done) {
      exporter.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) {
          dropped += spans.length;
          if (performance.now() - lastWarning >= EXPORT_WARNING_INTERVAL_MS) {
            lastWarning = performance.now();
            logger.warn('could not export spans', {
              error: result.error?.message ?? 'export failed',
              droppedSpans: dropped,
            });
            dropped = 0;
          }
        }
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

/** Builds the tracer provider (batched OTLP/HTTP JSON export) and what the Node entry plugs in. */
export function createNodeTracing(options: NodeTracingOptions): NodeTracing {
  const provider = new TracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({ 'service.name': options.serviceName, 'service.version': VERSION }),
    ),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: reportingFailures(
          new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` }),
          options.logger,
        ),
        scheduledDelayMillis: options.scheduleDelayMillis,
      }),
    ],
  });
  const otel = provider.getTracer('chronotrack');
  const propagator = new W3CTraceContextPropagator();
  const current = new AsyncLocalStorage<Context>();

  const tracer: RequestTracer = {
    startRequest(request) {
      // A valid `traceparent` makes this span its child (and follows its sampled flag).
      const parent = propagator.extract(ROOT_CONTEXT, request, headerGetter);
      const span = otel.startSpan(
        request.method,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': request.method,
            'url.path': request.path,
            'chronotrack.request_id': request.requestId,
          },
        },
        parent,
      );
      const context = trace.setSpan(parent, span);
      return {
        run: (next) => current.run(context, next),
        end({ route, status, error }) {
          if (route) {
            span.updateName(`${request.method} ${route}`);
            span.setAttribute('http.route', route);
          }
          span.setAttribute('http.response.status_code', status);
          if (error) span.recordException(error);
          // Server spans: only a 5xx is the server's error (a 4xx is the caller's).
          if (status >= 500) {
            span.setStatus({ code: SpanStatusCode.ERROR });
            span.setAttribute('error.type', String(status));
          }
          span.end();
        },
      };
    },
  };

  function traced<F extends (...args: never[]) => unknown>(name: string, fn: F, self: unknown): F {
    const operation = name.slice(name.lastIndexOf('.') + 1);
    return function tracedCall(...args: Parameters<F>) {
      const span = otel.startSpan(
        `db.${name}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'db.system': 'sqlite',
            'db.system.name': 'sqlite',
            'db.operation.name': operation,
          },
        },
        current.getStore() ?? ROOT_CONTEXT,
      );
      const fail = (error: unknown) => {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
        span.end();
      };
      let result: unknown;
      try {
        // The target, not the proxy, as `this`: repositories may hold private fields.
        result = fn.apply(self, args);
      } catch (error) {
        fail(error);
        throw error;
      }
      if (result instanceof Promise) {
        return result.then(
          (value: unknown) => {
            span.end();
            return value;
          },
          (error: unknown) => {
            fail(error);
            throw error;
          },
        );
      }
      span.end();
      return result;
    } as F;
  }

  function traceRepository<T extends object>(name: string, repository: T): T {
    const wrappers = new Map<PropertyKey, unknown>();
    return new Proxy(repository, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        let wrapper = wrappers.get(property);
        if (!wrapper) {
          wrapper = traced(`${name}.${property}`, value as (...args: never[]) => unknown, target);
          wrappers.set(property, wrapper);
        }
        return wrapper;
      },
    });
  }

  return {
    tracer,
    traceStores: (stores) =>
      Object.fromEntries(
        Object.entries(stores).map(([name, store]) => [
          name,
          typeof store === 'function'
            ? traced(name, store as (...args: never[]) => unknown, undefined)
            : traceRepository(name, store as object),
        ]),
      ) as unknown as Stores,
    shutdown: async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.shutdownTimeoutMillis ?? 5000);
        timer.unref();
      });
      await Promise.race([provider.shutdown(), timeout]);
      clearTimeout(timer);
    },
  };
}
