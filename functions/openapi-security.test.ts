import { describe, expect, it } from 'vitest';
import { SCOPES } from '../shared/access.js';
import { inMemoryApp } from './test-support/apps.js';

/**
 * The build fails when a route escapes the access-control contract: every route the app serves
 * under /api is in the OpenAPI document, and every operation in the document but the health
 * probe declares the scope it needs (the same value its `requires(scope)` check enforces).
 */
describe('OpenAPI document and access control', () => {
  const app = inMemoryApp();
  const documentOf = async () =>
    (await (await app.request('/api/openapi.json')).json()) as {
      servers: Array<{ url: string }>;
      paths: Record<
        string,
        Record<string, { security?: Array<Record<string, string[]>>; 'x-required-scope'?: string }>
      >;
      components: { securitySchemes?: Record<string, { type: string }> };
    };

  it('declares a scope on every operation but health, through both security schemes', async () => {
    const doc = await documentOf();
    expect(Object.keys(doc.components.securitySchemes ?? {}).sort()).toEqual([
      'apiKeyHeader',
      'bearerAuth',
    ]);
    const undeclared: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${path}`;
        if (name === 'GET /health') {
          expect(operation.security).toEqual([]);
          continue;
        }
        const scope = operation['x-required-scope'];
        if (!scope || !(SCOPES as readonly string[]).includes(scope)) {
          undeclared.push(name);
          continue;
        }
        expect(operation.security, name).toEqual([
          { bearerAuth: [scope] },
          { apiKeyHeader: [scope] },
        ]);
      }
    }
    expect(undeclared, 'operations without a declared scope').toEqual([]);
  });

  it('serves no route under /api that the document does not describe', async () => {
    const doc = await documentOf();
    const base = doc.servers[0]!.url;
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map(
          (method) => `${method.toUpperCase()} ${base}${path.replace(/\{([^}]+)\}/g, ':$1')}`,
        ),
      ),
    );
    // The contract's own endpoints: the document and its reference page.
    const meta = /^GET \/api\/(openapi\.json|docs(\/.*)?)$/;
    const served = app.routes
      .filter((route) => route.method !== 'ALL' && route.path.startsWith('/api/'))
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => !meta.test(route));
    expect(served.length).toBeGreaterThanOrEqual(15);
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
  });
});
