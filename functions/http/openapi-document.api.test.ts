import { beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { call, type ApiTarget } from '../../test/support/client.js';
import { describeOnEveryDriver } from '../../test/api/every-driver.js';

interface Document {
  info: { version: string; description: string };
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, { security?: unknown[]; servers?: Array<{ url: string }> }>>;
}

/**
 * What `/api/openapi.json` (and so `/api/docs`) says about itself, as the runtime serves it: its
 * version is package.json's, and its description names every route a caller may use without a key.
 */
describeOnEveryDriver((getHarness) => {
  describe('the OpenAPI document', () => {
    let target: ApiTarget;
    let doc: Document;
    beforeAll(async () => {
      target = getHarness().target;
      doc = (await call<Document>(target, 'GET', '/api/openapi.json')).body;
    });

    it("gives package.json's version", () => {
      expect(doc.info.version).toBe(pkg.version);
    });

    it('names in its description every operation that needs no key, and the keyless pages', async () => {
      // The keyless operations are those with `security: []`; each is named by its path up to
      // its first parameter (`/ping/...` stands for every ping URL).
      const keyless = Object.entries(doc.paths).flatMap(([template, methods]) =>
        Object.entries(methods)
          .filter(([, operation]) => operation.security?.length === 0)
          .map(([method, operation]) => {
            const server = (operation.servers?.[0] ?? doc.servers[0]!).url.replace(/\/$/, '');
            const path = `${server}${template}`;
            const open = path.indexOf('{');
            return open === -1
              ? `${method.toUpperCase()} ${path}`
              : `${path.slice(0, open).replace(/\/$/, '')}/...`;
          }),
      );
      expect(keyless).toContain('GET /api/health');
      expect(keyless.some((route) => route.startsWith('/ping/'))).toBe(true);
      const { description } = doc.info;
      for (const route of new Set(keyless)) expect(description, route).toContain(`\`${route}\``);
      // Served outside the document's operations, and keyless too.
      for (const route of [
        'GET /health',
        'GET /api/openapi.json',
        'GET /api/docs',
        'GET /metrics',
        'METRICS_PUBLIC=true',
      ])
        expect(description, route).toContain(`\`${route}\``);
      // And each is keyless as the text says (the docs page where the runtime serves it).
      for (const path of ['/health', '/api/health', '/api/openapi.json'])
        expect((await call(target, 'GET', path)).status, path).toBe(200);
      const docsPage = await call(target, 'GET', '/api/docs');
      expect([200, 404], '/api/docs').toContain(docsPage.status);
      expect((await call(target, 'GET', '/metrics')).status).toBe(401);
      const open = getHarness().appWith({ metricsPublic: true });
      expect((await call(open, 'GET', '/metrics')).status).toBe(200);
    });
  });
});
