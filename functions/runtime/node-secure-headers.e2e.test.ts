import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { appOver } from '../../test/support/apps.js';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { startedServers } from '../../test/support/node-process.js';
import { secureHeaderValues } from './node-secure-headers.js';

/**
 * The Node entry writes the security headers on Node's own response (node-secure-headers.ts);
 * every other runtime and the app in process get them from hono/secure-headers. The two must give
 * every answer the same values, an answer's own header winning over the constant one.
 */
describe('security headers on the Node entry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-secure-headers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const start = startedServers();
  const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

  it("are hono/secure-headers' own, on answers of every kind", async () => {
    const names = [...(await secureHeaderValues()).keys()];
    expect(names.length).toBeGreaterThanOrEqual(10);
    const server = await start({
      DATABASE_FILE: join(dir, 'node.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      SWEEP_INTERVAL_SECONDS: '0',
      WEBHOOK_DISPATCH_INTERVAL_SECONDS: '0',
    });
    const app = appOver(openBetterSqlite(':memory:'));
    const project = await (
      await fetch(`${server.baseUrl}/api/projects/1/badge-key`, {
        method: 'POST',
        headers: admin,
      })
    ).json();
    const cases: Array<[string, Record<string, string>]> = [
      ['/health', {}],
      ['/api/jobs', {}], // 401
      ['/api/jobs', admin],
      ['/api/jobs/1', admin], // 404
      ['/api/jobs?limit=0', admin], // 400
      ['/no/such/path', {}],
    ];
    for (const [path, headers] of cases) {
      const real = await fetch(`${server.baseUrl}${path}`, { headers });
      const inProcess = await app.request(path, { headers });
      await Promise.all([real.arrayBuffer(), inProcess.arrayBuffer()]);
      expect(real.status, path).toBe(inProcess.status);
      for (const name of names) {
        // fetch joins repeated headers with ", ": a constant one sent beside the answer's own
        // would show here as a different value.
        expect(real.headers.get(name), `${path} ${name}`).toBe(inProcess.headers.get(name));
      }
    }

    // Answers that set one of them themselves keep their own, sent once.
    const constants = await secureHeaderValues();
    const ownHeader = async (path: string, name: string) => {
      const real = await fetch(`${server.baseUrl}${path}`);
      await real.arrayBuffer();
      expect(real.status, path).toBe(200);
      for (const other of names.filter((n) => n !== name))
        expect(real.headers.get(other), `${path} ${other}`).toBe(constants.get(other));
      return real.headers.get(name);
    };
    const docsPolicy = await ownHeader('/api/docs', 'content-security-policy');
    expect(docsPolicy).toContain("script-src 'self'");
    expect(docsPolicy).not.toContain("default-src 'none'");
    expect(await ownHeader(`/badge/${project.badgeKey}.svg`, 'cross-origin-resource-policy')).toBe(
      'cross-origin',
    );
  });
});
