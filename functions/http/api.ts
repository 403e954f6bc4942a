import { VERSION } from '../../shared/version.js';
import type { DocsAssetLoader } from './docs/routes.js';
import { createDocsApi } from './docs/routes.js';
import { health } from './health/routes.js';
import { jobSummariesApi } from './summaries/routes.js';
import { jobsByKeyApi } from './jobs-by-key/routes.js';
import { jobsApi } from './jobs/routes.js';
import { keysApi } from './keys/routes.js';
import { meApi } from './me/routes.js';
import { createRouter, SECURITY_SCHEMES } from './openapi.js';
import { registerPingPaths } from './pings/openapi.js';
import { registerBadgePaths } from './badges/openapi.js';
import { projectsApi } from './projects/routes.js';
import { runsApi } from './runs/routes.js';
import { registerWebhookPayloads } from './webhooks/payloads.js';
import { webhooksApi } from './webhooks/routes.js';
import { channelsApi } from './channels/routes.js';
import { adminApi } from './admin/routes.js';
import { registerChannelConfigs } from './channels/schemas.js';

/** Paths under /api that need no key: probes, the OpenAPI document and its reference page. */
export const isPublicApiPath = (path: string): boolean =>
  path === '/api/health' ||
  path === '/api/openapi.json' ||
  path === '/api/docs' ||
  path.startsWith('/api/docs/');

/**
 * Everything under `/api`: one sub-app per endpoint group, and the OpenAPI 3.1 document that
 * describes them (its `servers` entry is `/api`, so its paths read `/jobs`, `/runs/{runId}`...).
 */
export function createApi(docsAssets?: DocsAssetLoader) {
  const api = createRouter();
  api.route('/health', health);
  // Before /jobs, whose /{id} routes would otherwise answer /jobs/summaries and /jobs/by-key/...
  // (`/jobs/by-key/runs` matches `/{id}/runs`) with a 400.
  api.route('/jobs/summaries', jobSummariesApi);
  api.route('/jobs/by-key', jobsByKeyApi);
  api.route('/jobs', jobsApi);
  api.route('/runs', runsApi);
  api.route('/projects', projectsApi);
  api.route('/keys', keysApi);
  api.route('/me', meApi);
  api.route('/webhooks', webhooksApi);
  api.route('/channels', channelsApi);
  api.route('/admin', adminApi);
  if (docsAssets) api.route('/docs', createDocsApi(docsAssets));

  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES))
    api.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
  registerWebhookPayloads(api.openAPIRegistry);
  registerChannelConfigs(api.openAPIRegistry);
  // Served at the root by createApp (functions/http/pings/routes.ts), described here with the rest.
  registerPingPaths(api.openAPIRegistry);
  // Likewise the status badges (functions/http/badges/routes.ts).
  registerBadgePaths(api.openAPIRegistry);
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'ChronoTrack API',
      version: VERSION,
      description:
        'Jobs, their runs and their history. Every operation needs an API key ' +
        '(`Authorization: Bearer ct_...` or `X-Api-Key`) whose scope (`read` < `write` < `admin`) ' +
        'it lists under `security`; a key bound to a project sees only that project. ' +
        'Those whose `security` is empty need none: `GET /health` (also `GET /api/health`, ' +
        'the probes), the Healthchecks-compatible ping URLs `/ping/...` (the URL is the ' +
        'secret) and the status badges `/badge/...` (a read-only badge key). Nor do this document (`GET /api/openapi.json`) and its reference page ' +
        '(`GET /api/docs`), nor `GET /metrics` on a server started with `METRICS_PUBLIC=true` ' +
        '(by default it takes a `read` key). ' +
        'Errors are RFC 9457 problem+json with a `code` and the `requestId`. Lists page by opaque ' +
        'keyset cursors. Requests are rate limited per key (`RateLimit`, `RateLimit-Policy`).',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    servers: [{ url: '/api', description: 'The server this document was fetched from' }],
  });
  return api;
}
