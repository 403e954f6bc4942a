import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inMemoryApp } from '../../test/support/apps.js';

/** docs/api-spec.md (the readable guide) and /api/openapi.json (the contract) list the same operations. */
const guide = readFileSync(new URL('../../docs/api-spec.md', import.meta.url), 'utf8');

describe('API guide and OpenAPI document', () => {
  // Endpoints that serve the contract itself, the root probe and Prometheus' scrape (text, at the
  // root: outside the document's `/api` server) are in the guide but not in the document.
  const META = ['GET /api/openapi.json', 'GET /api/docs', 'GET /health', 'GET /metrics'];

  it('name the same paths and methods', async () => {
    const app = inMemoryApp();
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { servers?: Array<{ url: string }> }>>;
      servers: Array<{ url: string }>;
    };
    // The document's paths are relative to its server, `/api`, but for the operations that name
    // their own (the badges, at the root); the guide names full paths. The ping URLs (at the
    // root) are listed in the guide's Pings section instead (the next test).
    const base = doc.servers[0]!.url;
    const inDocument = Object.entries(doc.paths)
      .filter(([path]) => !path.startsWith('/ping/'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => {
          const server = operation.servers?.[0]?.url.replace(/\/$/, '') ?? base;
          return `${method.toUpperCase()} ${server}${path}`;
        }),
      );
    const inGuide = [...guide.matchAll(/^### (GET|POST|PUT|PATCH|DELETE) (\/\S*)$/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );

    expect(inDocument.length).toBeGreaterThanOrEqual(10);
    expect(new Set(inGuide).size, 'a heading is repeated in the guide').toBe(inGuide.length);
    expect(inGuide.filter((op) => !META.includes(op)).sort()).toEqual([...inDocument].sort());
  });

  it("name the same ping URLs: every form in the guide's Pings section is a documented path", async () => {
    const doc = (await (await inMemoryApp().request('/api/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    const documented = Object.keys(doc.paths).filter((path) => path.startsWith('/ping/'));
    const section = guide.slice(guide.indexOf('\n## Pings\n'), guide.indexOf('\n## Endpoints\n'));
    const inGuide = new Set([...section.matchAll(/`(\/ping\/[^`?]+)`/g)].map((m) => m[1]!));
    // One path item stands for two URL shapes (the guide explains it): compare the shapes.
    const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');
    expect([...new Set([...inGuide].map(shape))].sort()).toEqual(
      [...new Set(documented.map(shape))].sort(),
    );
    for (const path of documented.filter((p) => !p.includes('OrPingKey')))
      expect(inGuide, path).toContain(path);
  });

  it('list the operation ids and component schemas the document has', async () => {
    const doc = (await (await inMemoryApp().request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
      components: { schemas: Record<string, unknown> };
    };
    const section = guide.slice(
      guide.indexOf('\n### GET /api/openapi.json\n'),
      guide.indexOf('\n### GET /api/docs\n'),
    );
    const bullet = (start: string) => {
      const from = section.indexOf(start);
      expect(from, start).toBeGreaterThan(-1);
      const rest = section.slice(from + start.length);
      return rest.slice(0, rest.search(/\n- |\n\n/));
    };
    const names = (text: string) => [...text.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]!);
    // The ping operations are named by pattern in the guide; every other id is listed.
    const ids = Object.values(doc.paths).flatMap((methods) =>
      Object.values(methods).flatMap((operation) => operation.operationId ?? []),
    );
    const listed = names(bullet('- **Operation ids:**'));
    expect(listed.filter((id) => !id.startsWith('ping')).sort()).toEqual(
      ids.filter((id) => !id.startsWith('ping')).sort(),
    );
    for (const id of listed) expect(ids, id).toContain(id);
    // Every schema is named in the section, and the components bullet names only schemas.
    const schemas = Object.keys(doc.components.schemas);
    const inSection = new Set(names(section));
    for (const schema of schemas) expect([...inSection], schema).toContain(schema);
    const inBullet = names(bullet('- `components.schemas` holds')).filter(
      (name) => /^[A-Z]/.test(name) && !['Link', 'WWW', 'Retry', 'RateLimit'].includes(name),
    );
    for (const name of inBullet) expect(schemas, name).toContain(name);
  });
});
