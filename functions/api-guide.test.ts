import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inMemoryApp } from './test-support/apps.js';

/** docs/api-spec.md (the readable guide) and /api/openapi.json (the contract) list the same operations. */
describe('API guide and OpenAPI document', () => {
  // Endpoints that serve the contract itself, the root probe and Prometheus' scrape (text, at the
  // root: outside the document's `/api` server) are in the guide but not in the document.
  const META = ['GET /api/openapi.json', 'GET /api/docs', 'GET /health', 'GET /metrics'];

  it('name the same paths and methods', async () => {
    const app = inMemoryApp();
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
      servers: Array<{ url: string }>;
    };
    // The document's paths are relative to its server, `/api`; the guide names full paths.
    const base = doc.servers[0]!.url;
    const inDocument = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${base}${path}`),
    );
    const guide = readFileSync(new URL('../docs/api-spec.md', import.meta.url), 'utf8');
    const inGuide = [...guide.matchAll(/^### (GET|POST|PUT|PATCH|DELETE) (\/\S*)$/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );

    expect(inDocument.length).toBeGreaterThanOrEqual(10);
    expect(new Set(inGuide).size, 'a heading is repeated in the guide').toBe(inGuide.length);
    expect(inGuide.filter((op) => !META.includes(op)).sort()).toEqual([...inDocument].sort());
  });
});
