import type { Context } from 'hono';
import { problem } from './problem.js';

interface RouteInfo {
  method: string;
  path: string;
}

const toPattern = (path: string): RegExp =>
  new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\/:[^/]+/g, '/[^/]+')}$`);

/**
 * Hono answers an unmatched method with its not-found handler; this tells "no such path" (404)
 * from "no such method on this path" (405 with an `Allow` header) using the registered routes.
 */
export function notFoundOrMethodNotAllowed(routes: readonly RouteInfo[]) {
  const known = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  for (const { method, path } of routes) {
    if (method === 'ALL' || path.includes('*')) continue;
    const entry = known.get(path) ?? { pattern: toPattern(path), methods: new Set<string>() };
    entry.methods.add(method);
    if (method === 'GET') entry.methods.add('HEAD');
    known.set(path, entry);
  }

  return (c: Context): Response => {
    const allowed = new Set<string>();
    for (const { pattern, methods } of known.values()) {
      if (pattern.test(c.req.path)) methods.forEach((method) => allowed.add(method));
    }
    if (allowed.size > 0) {
      const allow = [...allowed].sort().join(', ');
      return problem(c, 405, {
        detail: `${c.req.method} is not supported on ${c.req.path}; allowed: ${allow}.`,
        headers: { Allow: allow },
      });
    }
    return problem(c, 404, { detail: `No route matches ${c.req.method} ${c.req.path}.` });
  };
}
