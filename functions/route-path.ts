import type { Context } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';

/**
 * The path template of the route whose handler answered (`/api/runs/:runId`): the last matched
 * route registered for a method. Middleware (`app.use`, method ALL) matches too, and the
 * dashboard's `*` comes after every route, so `routePath(c, -1)` alone names `/*` for every
 * request wherever the dashboard is served. Requests no route answered keep Hono's `/*`.
 */
export function handlerRoutePath(c: Context): string {
  const handlers = matchedRoutes(c).filter((route) => route.method !== 'ALL');
  return handlers.at(-1)?.path ?? routePath(c, -1);
}
