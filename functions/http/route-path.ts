import type { Context } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';

/**
 * The template of the route whose handler answered, as the OpenAPI document writes it
 * (`/api/runs/{runId}`), or undefined when no route did (a 404, the dashboard's files). The
 * answering route is the last matched one registered for a method: middleware (`app.use`) has the
 * method ALL, and the dashboard's `*` comes after every route. One function for the access line,
 * the metrics and the spans, so the three name a route the same way.
 */
export function routeTemplate(c: Context): string | undefined {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]!;
    if (route.method !== 'ALL') return templateOf(route.path);
  }
  return undefined;
}

/** Hono's paths are the app's own finite set: each is rewritten once, not on every request. */
const templates = new Map<string, string>();

function templateOf(path: string): string {
  let template = templates.get(path);
  if (template === undefined) {
    template = path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
    templates.set(path, template);
  }
  return template;
}

/** routeTemplate, or Hono's own last match (`/*`) when no route answered: for labels that need one. */
export const routeLabel = (c: Context): string => routeTemplate(c) ?? routePath(c, -1);
