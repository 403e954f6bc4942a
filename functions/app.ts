import { OpenAPIHono } from '@hono/zod-openapi';
import { createServices, type DomainDeps } from '../shared/services/index.js';
import type { AppEnv } from './env.js';
import { createDocsApi, type DocsAssetLoader } from './docs.js';
import { health } from './health.js';
import { jobsApi } from './jobs.js';
import { notFoundOrMethodNotAllowed } from './method-not-allowed.js';
import { accessLog } from './middleware/access-log.js';
import { emptyJsonBodyAsObject, limitBody } from './middleware/json-body.js';
import { requestId } from './middleware/request-id.js';
import { onError } from './problem.js';
import { runsApi } from './runs.js';

export interface AppDeps extends DomainDeps {
  /** Serves Swagger UI's files for GET /docs; without it /docs is not mounted. */
  docsAssets?: DocsAssetLoader;
}

/**
 * The whole HTTP API, independent of any runtime: the Node and Workers entries build the
 * dependencies (database, logger) and hand them in here once per process or isolate.
 */
export function createApp(deps: AppDeps) {
  const services = createServices(deps);
  const app = new OpenAPIHono<AppEnv>({ strict: true });

  app.use('*', async function injectServices(c, next) {
    c.set('services', services);
    await next();
  });
  app.use('*', requestId());
  app.use('*', accessLog());
  // Only requests that carry a body pay for the body checks (on Node, touching the raw request
  // makes the adapter build a full Request object).
  for (const method of ['POST', 'PUT', 'PATCH'] as const) {
    app.on(method, '*', limitBody(), emptyJsonBodyAsObject());
  }

  app.route('/health', health);
  app.route('/jobs', jobsApi);
  app.route('/runs', runsApi);
  if (deps.docsAssets) app.route('/docs', createDocsApi(deps.docsAssets));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'ChronoTrack API',
      version: '0.1.0',
      description:
        'Jobs, their runs and their history. Errors are RFC 9457 problem+json. Lists page by opaque keyset cursors.',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    servers: [{ url: '/', description: 'The server this document was fetched from' }],
    // No authentication yet: put ChronoTrack behind a trusted network or an authenticating proxy.
    security: [],
  });

  app.onError(onError);
  app.notFound(notFoundOrMethodNotAllowed(app.routes));
  return app;
}

export type App = ReturnType<typeof createApp>;
