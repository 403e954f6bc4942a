import type { MiddlewareHandler } from 'hono';
import { PAGE_CSP } from '../middleware/content-security-policy.js';
import type { AppEnv } from '../env.js';

/**
 * Loads one file of the dashboard's build (`/index.html`, `/assets/index-3f2a.js`, ...) with its
 * Content-Type, or null when there is none. Each runtime reads them its own way: the Node entry
 * from dist/web, the Worker from its static assets.
 */
export type DashboardAssetLoader = (path: string) => Promise<Response | null>;

/** The dashboard's own routes: a browser asking for one gets index.html (the SPA fallback). */
const DASHBOARD_ROUTES = [/^\/$/, /^\/jobs\/[^/]+$/, /^\/runs$/, /^\/runs\/[^/]+$/, /^\/channels$/];

/** Paths the dashboard never answers: the API, the probes, metrics and badges keep their own 404. */
const NEVER = /^\/(api|health|metrics|badge)(\/|$)/;

/** A file of the build: plain segments only, no traversal, no encoded characters. */
const FILE = /^\/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*\.[A-Za-z0-9]+$/;

/** Vite names every file under /assets/ by its content hash: it can be cached for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const withCache = (response: Response, cacheControl: string, csp?: string) => {
  const headers = new Headers(response.headers);
  headers.set('Cache-Control', cacheControl);
  if (csp) headers.set('Content-Security-Policy', csp);
  return new Response(response.body, { status: 200, headers });
};

/**
 * Serves the dashboard from the same origin as the API. Its files are public: they hold no data,
 * every datum comes through the API with a key.
 *
 * - `/assets/*` (hashed names): `Cache-Control: public, max-age=31536000, immutable`;
 * - other files of the build (the icon): an hour;
 * - `/`, and `/jobs/:id`, `/runs`, `/runs/:id`, `/channels` when the request accepts HTML (a browser
 *   navigating): index.html with `no-cache`, so a new release shows on the next load, and the
 *   dashboard's Content-Security-Policy (functions/http/middleware/content-security-policy.ts). An API
 *   client asking for `/runs` without HTML in Accept still gets the 404 that names `/api/runs`;
 * - `/api/*`, `/health` and `/metrics` are never answered here.
 */
export function serveDashboard(load: DashboardAssetLoader): MiddlewareHandler<AppEnv> {
  return async function dashboard(c, next) {
    const path = c.req.path;
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || NEVER.test(path)) return next();
    if (FILE.test(path) && !path.endsWith('.html')) {
      const file = await load(path);
      if (file)
        return withCache(file, path.startsWith('/assets/') ? IMMUTABLE : 'public, max-age=3600');
      return next();
    }
    const route = DASHBOARD_ROUTES.some((pattern) => pattern.test(path));
    const wantsHtml = path === '/' || (c.req.header('Accept') ?? '').includes('text/html');
    if (route && wantsHtml) {
      const index = await load('/index.html');
      if (index) return withCache(index, 'no-cache', PAGE_CSP);
    }
    return next();
  };
}
