import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { RateLimiter } from '../../shared/rate-limit.js';
import type { Services } from '../../shared/services/index.js';
import { createApi, isPublicApiPath } from './api.js';
import { SECURE_HEADERS } from './middleware/content-security-policy.js';
import { serveDashboard, type DashboardAssetLoader } from './dashboard/routes.js';
import type { DocsAssetLoader } from './docs/routes.js';
import type { AppEnv } from './env.js';
import { healthCheck } from './health/routes.js';
import { metricsHandler } from './metrics/routes.js';
import { accessLog } from './middleware/access-log.js';
import { afterWrites, type AfterWritesOptions } from './middleware/after-writes.js';
import {
  authenticate,
  requireKey,
  requireScope,
  type AuthenticateOptions,
} from './middleware/auth.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestMetrics, type ProcessMetrics } from './middleware/request-metrics.js';
import { pingHeaders, pingsApp } from './pings/routes.js';
import { badgeETag, badgesApp } from './badges/routes.js';
import { onError, problem, TransportError } from './problem.js';

/** What the HTTP layer is handed (functions/runtime/runtime.ts builds it, once per process or isolate). */
export interface AppDeps {
  /** The domain's services; each request gets `services.forRequest({ requestId })`. */
  services: Services;
  /** AUTH=off turns authentication off (a trusted network). */
  auth: boolean;
  /** CORS_ORIGINS: origins allowed to call the API from a browser; none when empty. */
  corsOrigins: string[];
  /** METRICS_PUBLIC=true: GET /metrics needs no key. */
  metricsPublic: boolean;
  /** The caller's address, the rate-limit bucket of requests without a key. */
  clientAddress: (c: Context<AppEnv>) => string;
  /** Serves Swagger UI's files for GET /api/docs; without it /api/docs is not mounted. */
  docsAssets?: DocsAssetLoader;
  /** The dashboard's build, served at / (functions/http/dashboard/routes.ts); without it, the API alone. */
  dashboardAssets?: DashboardAssetLoader;
  /** Limits requests per key or address; without one nothing is limited. */
  rateLimiter?: RateLimiter;
  /** Keeps background writes alive after the response (Workers' waitUntil). */
  defer?: AuthenticateOptions['defer'];
  /**
   * Opens a span per request (`traceRequests`, functions/http/middleware/tracing.ts: the Node entry
   * gives it when OTEL_EXPORTER_OTLP_ENDPOINT is set); without it no request does tracing work.
   */
  tracing?: MiddlewareHandler<AppEnv>;
  /**
   * Runs after a write: a webhook dispatch pass (a DispatchTrigger's `kick`), handed to `defer`
   * when it started one, and the health timer's re-arm; without it deliveries wait for the
   * runtime's tick.
   */
  afterWrite?: AfterWritesOptions['afterWrite'];
  /** The process's own metrics (Node: prom-client's defaults and the HTTP histogram). */
  processMetrics?: ProcessMetrics;
  /**
   * Node: compresses large answers (functions/runtime/node-compression.ts). None on the Worker,
   * whose answers Cloudflare's edge compresses.
   */
  compression?: MiddlewareHandler<AppEnv>;
  /**
   * Node: the security headers written on Node's response (functions/runtime/node-secure-headers.ts).
   * Elsewhere hono/secure-headers with SECURE_HEADERS, the same headers.
   */
  secureHeaders?: MiddlewareHandler<AppEnv>;
}

/** Paths the API had before it moved under /api: they answer 404 naming the new path. */
const MOVED = /^\/(jobs|runs|projects|keys|openapi\.json|docs)(\/|$)/;

const isHealth = (path: string) => path === '/health' || path === '/api/health';

/**
 * The whole HTTP API, independent of any runtime: `createRuntime` (functions/runtime/runtime.ts) builds
 * the services and the runtime's pieces (limiter, assets) and hands them in here once per process
 * or isolate.
 */
export function createApp(deps: AppDeps) {
  const { services } = deps;
  const app = new OpenAPIHono<AppEnv>({ strict: true });

  app.use('*', requestId({ limitLength: 128 }));
  // Right after the request id, so the span carries it and covers everything after.
  if (deps.tracing) app.use('*', deps.tracing);
  app.use('*', async function injectServices(c, next) {
    // Every log line a request causes, the access line and domain events alike, carries its id.
    c.set('services', services.forRequest({ requestId: c.get('requestId') }));
    await next();
  });
  app.use('*', accessLog());
  if (deps.afterWrite) {
    const afterEachWrite = afterWrites({ afterWrite: deps.afterWrite, defer: deps.defer });
    app.use('/api/*', afterEachWrite);
    app.use('/ping/*', afterEachWrite);
  }
  if (deps.processMetrics) app.use('*', requestMetrics(deps.processMetrics));
  // Outside every route and header middleware: it sees the final answer (and its ETag).
  if (deps.compression) app.use('*', deps.compression);
  app.use('*', deps.secureHeaders ?? secureHeaders(SECURE_HEADERS));
  app.use(
    '*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problem(c, 'METHOD_NOT_ALLOWED', {
          detail: `${c.req.method} is not supported on ${c.req.path}; allowed: ${methods.join(', ')}.`,
          headers: { Allow: methods.join(', ') },
        }),
    }),
  );

  // Probes: unauthenticated, never limited, at the root for Docker and Compose.
  app.get('/health', healthCheck);

  if (deps.corsOrigins.length > 0) {
    app.use(
      '/api/*',
      cors({
        origin: deps.corsOrigins,
        allowHeaders: [
          'Authorization',
          'X-Api-Key',
          'Content-Type',
          'X-Request-Id',
          'Idempotency-Key',
        ],
        allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
        exposeHeaders: [
          'Location',
          'Link',
          'X-Request-Id',
          'RateLimit',
          'RateLimit-Policy',
          'Retry-After',
          'Idempotent-Replayed',
        ],
        maxAge: 600,
      }),
    );
  }
  // Who is calling comes before anything else looks at the request: validation, lookups, bodies.
  app.use(
    '/api/*',
    authenticate({
      enabled: deps.auth,
      isPublic: isPublicApiPath,
      defer: deps.defer,
      clientAddress: deps.clientAddress,
    }),
  );
  // One limiter for the API, the scrape and the pings: per key, or per client address without one.
  const limitRate =
    deps.rateLimiter &&
    rateLimit({
      limiter: deps.rateLimiter,
      isExempt: isHealth,
      clientAddress: deps.clientAddress,
    });
  if (limitRate) app.use('/api/*', limitRate);
  app.use('/api/*', requireKey({ isPublic: isPublicApiPath }));

  // Prometheus' scrape, at the root beside /health: the API's key check (a read key), 401 and
  // per-key limit (a scrape every 15 s is far inside it); METRICS_PUBLIC=true drops the key, and
  // the limit then holds per address.
  if (!deps.metricsPublic) {
    app.use(
      '/metrics',
      authenticate({ enabled: deps.auth, isPublic: () => false, defer: deps.defer }),
    );
  }
  if (limitRate) app.use('/metrics', limitRate);
  if (!deps.metricsPublic) {
    app.use('/metrics', requireKey({ isPublic: () => false }), requireScope('read'));
  }
  app.get('/metrics', metricsHandler(deps.processMetrics));

  // Healthchecks-compatible pings: no API key (the ping UUID or key is the secret), open to any
  // origin and never cached, limited per client address like any caller without a key.
  app.use('/ping/*', pingHeaders());
  if (limitRate) app.use('/ping/*', limitRate);
  app.route('/ping', pingsApp);

  // Status badges: no API key (the badge key is a read-only secret), embeddable anywhere, cached
  // for a minute with an ETag, limited per client address like the pings.
  if (limitRate) app.use('/badge/*', limitRate);
  app.use('/badge/*', badgeETag());
  app.route('/badge', badgesApp);

  app.route('/api', createApi(deps.docsAssets));
  // After every route: only requests nothing else answered reach the dashboard's files.
  if (deps.dashboardAssets) app.use('*', serveDashboard(deps.dashboardAssets));

  app.onError(onError);
  app.notFound((c) =>
    MOVED.test(c.req.path)
      ? problem(c, 'ROUTE_NOT_FOUND', {
          detail: `The API moved under /api: use ${c.req.method} /api${c.req.path}.`,
        })
      : problem(c, 'ROUTE_NOT_FOUND', {
          detail: `No route matches ${c.req.method} ${c.req.path}.`,
        }),
  );
  return app;
}

export type App = ReturnType<typeof createApp>;

/**
 * What a runtime serves when it cannot build its app (a Worker without its D1 binding, or with
 * invalid vars): the app's request id, security headers and error path, and for every request a
 * 500 problem whose detail says what to fix (the variable, never its value).
 */
export function createUnavailableApp(detail: string) {
  const app = new OpenAPIHono<AppEnv>({ strict: true });
  app.use('*', requestId({ limitLength: 128 }));
  app.use('*', secureHeaders(SECURE_HEADERS));
  app.all('*', () => {
    throw new TransportError('INTERNAL_ERROR', detail);
  });
  app.onError(onError);
  return app;
}
