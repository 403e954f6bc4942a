import { Hono } from 'hono';
import { PAGE_CSP } from '../middleware/content-security-policy.js';
import type { AppEnv } from '../env.js';
import { problem } from '../problem.js';

/** Loads one of Swagger UI's static files; each runtime serves them its own way. */
export type DocsAssetLoader = (file: DocsAsset) => Promise<Response | null>;

const DOCS_ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'] as const;
export type DocsAsset = (typeof DOCS_ASSETS)[number];

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>ChronoTrack API reference</title>
    <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

/** Swagger UI's bootstrap, a file so that the page's policy allows no inline script. */
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
`;

/**
 * `GET /api/docs`: Swagger UI over `/api/openapi.json`, with its scripts and styles served by this server
 * (no CDN), so the reference works on a closed network too.
 */
export function createDocsApi(loadAsset: DocsAssetLoader) {
  return new Hono<AppEnv>()
    .get('/', (c) => {
      c.header('Content-Security-Policy', PAGE_CSP);
      return c.html(PAGE);
    })
    .get('/init.js', (c) => {
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      c.header('Cache-Control', 'no-cache');
      return c.body(INIT);
    })
    .get('/assets/:file', async (c) => {
      const file = c.req.param('file');
      const asset = (DOCS_ASSETS as readonly string[]).includes(file)
        ? await loadAsset(file as DocsAsset)
        : null;
      if (!asset)
        return problem(c, 'ROUTE_NOT_FOUND', { detail: `No documentation asset named ${file}.` });
      const headers = new Headers(asset.headers);
      headers.set('Cache-Control', 'public, max-age=86400');
      return new Response(asset.body, { status: 200, headers });
    });
}
