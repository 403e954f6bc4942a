import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../shared/access.js';
import { inMemoryApp } from '../../test/support/apps.js';

/**
 * The build fails when a route escapes the access-control contract: every route the app serves
 * under /api is in the OpenAPI document, and every operation in the document but the health
 * probe declares the scope it needs (the same value its `requires(scope)` check enforces). The
 * ping URLs (outside /api, no key: the URL is the secret) are in the document too, each form for
 * each method the app answers, with no security requirement and their own server, `/`.
 */
describe('OpenAPI document and access control', () => {
  const app = inMemoryApp();
  const documentOf = async () =>
    (await (await app.request('/api/openapi.json')).json()) as {
      servers: Array<{ url: string }>;
      paths: Record<
        string,
        Record<
          string,
          {
            security?: Array<Record<string, string[]>>;
            'x-required-scope'?: string;
            servers?: Array<{ url: string }>;
            tags?: string[];
          }
        >
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
        if (path.startsWith('/ping/')) {
          expect(operation.security, name).toEqual([]);
          expect(operation.servers, name).toEqual([expect.objectContaining({ url: '/' })]);
          expect(operation.tags, name).toEqual(['pings']);
          continue;
        }
        if (path.startsWith('/badge/')) {
          expect(operation.security, name).toEqual([]);
          expect(operation.servers, name).toEqual([expect.objectContaining({ url: '/' })]);
          expect(operation.tags, name).toEqual(['badges']);
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
        Object.entries(methods)
          .filter(([, operation]) => !operation.servers)
          .map(
            ([method]) => `${method.toUpperCase()} ${base}${path.replace(/\{([^}]+)\}/g, ':$1')}`,
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

  it('documents every ping URL form, for every method the app answers it with', async () => {
    const doc = await documentOf();
    // The ping paths as the document gives them (relative to `/`), as patterns.
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/ping/'))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => ({
          name: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          templates: path.match(/\{[^}]+\}/g)?.length ?? 0,
          pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        })),
      )
      .sort((a, b) => a.templates - b.templates);
    // Each URL form functions/http/pings/routes.ts answers (docs/alerts.md), by UUID and by slug.
    const uuid = '5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10';
    const forms = [uuid, `3f9a1c0d5e7b2a4c6d8e0f1a2b3c4d5e/nightly-backup`].flatMap((check) =>
      ['', '/start', '/fail', '/log', '/0', '/3'].map((suffix) => `/ping/${check}${suffix}`),
    );
    // The app registers GET and POST for its ping routes; HEAD is answered by GET's handler.
    const served = new Set(
      app.routes
        .filter((route) => route.method !== 'ALL' && route.path.startsWith('/ping/'))
        .map((route) => route.method),
    );
    expect([...served].sort()).toEqual(['GET', 'POST']);
    const used = new Set<string>();
    const undocumented: string[] = [];
    for (const method of [...served, 'HEAD']) {
      for (const form of forms) {
        const match = documented.find((op) => op.method === method && op.pattern.test(form));
        if (match) used.add(match.name);
        else undocumented.push(`${method} ${form}`);
      }
    }
    expect(undocumented, 'ping URLs the document lacks').toEqual([]);
    // And nothing documented that no form reaches.
    expect(documented.map((op) => op.name).filter((name) => !used.has(name))).toEqual([]);
  });
});
