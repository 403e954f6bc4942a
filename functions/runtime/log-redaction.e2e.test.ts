import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../http/middleware/log-path.js';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { callAsAdmin, startNodeServer } from '../../test/support/node-process.js';
import { startOtlpReceiver } from '../../test/support/otlp-receiver.js';

/**
 * A ping URL's secret (a job's UUID, a project's ping key) and a badge URL's badge key never reach
 * the log or a trace: the real Node entry, every ping and badge form, then the whole log and every
 * exported span searched for them.
 */
describe('ping and badge secrets in logs and traces (functions/http/middleware/log-path.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-redaction-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The real Node entry on a fresh file, exporting its spans to a loopback OTLP receiver. */
  async function tracedServer() {
    const receiver = await startOtlpReceiver();
    const server = await startNodeServer({
      DATABASE_FILE: join(dir, `${randomBytes(4).toString('hex')}.db`),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    return { receiver, server };
  }

  /**
   * The access lines and spans of the requests under `prefix`, once `count` of each arrived (or
   * 10 s passed: the assertions after it then say what is missing).
   */
  async function loggedAndTraced(
    server: Awaited<ReturnType<typeof tracedServer>>['server'],
    receiver: Awaited<ReturnType<typeof tracedServer>>['receiver'],
    prefix: string,
    count: number,
  ) {
    const accessLines = () =>
      server
        .output()
        .split('\n')
        .filter((line) => line.includes('"msg":"request"') && line.includes(prefix));
    const spans = () =>
      receiver.spans.filter((s) => String(s.attributes['url.path']).startsWith(prefix));
    const deadline = Date.now() + 10_000;
    while ((accessLines().length < count || spans().length < count) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    return { accessLines, spans };
  }

  it('logs and traces every ping form with its secret redacted', async () => {
    const { receiver, server } = await tracedServer();
    try {
      const job = await callAsAdmin(server, 'POST', '/api/jobs', {
        name: 'redacted',
        key: 'redacted',
      });
      expect(job.status).toBe(201);
      const { pingUrl } = job.body as { pingUrl: string };
      const uuid = pingUrl.replace('/ping/', '');
      const projects = await callAsAdmin(server, 'GET', '/api/projects');
      const { pingKey } = (projects.body as { data: { pingKey: string }[] }).data[0]!;
      expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(pingKey.length).toBeGreaterThan(8);

      const rid = '0b5c7a34-8a0e-4c8e-9a55-6a3f2d1e0c9b';
      const pings: [method: string, path: string, status: number][] = [
        ['GET', `/ping/${uuid}`, 200],
        ['HEAD', `/ping/${uuid}`, 200],
        ['POST', `/ping/${uuid}/start?rid=${rid}`, 200],
        ['POST', `/ping/${uuid}?rid=${rid}`, 200],
        ['GET', `/ping/${uuid}/fail`, 200],
        ['POST', `/ping/${uuid}/log`, 200],
        ['GET', `/ping/${uuid}/3`, 200],
        ['GET', `/ping/${uuid}/256`, 400],
        ['GET', `/ping/${uuid}/nope`, 404],
        ['GET', `/ping/${uuid.toUpperCase()}/0`, 200],
        ['GET', `/ping/${pingKey}/redacted`, 200],
        ['GET', `/ping/${pingKey}/redacted/start`, 200],
        ['POST', `/ping/${pingKey}/redacted/0`, 200],
        ['GET', `/ping/${pingKey}/new-job?create=1`, 201],
        ['GET', `/ping/${pingKey}/other-job`, 404],
        ['GET', `/ping/${pingKey}/Bad Key?create=1`, 400],
      ];
      for (const [method, path, status] of pings) {
        const response = await fetch(`${server.baseUrl}${path}`, {
          method,
          ...(method === 'POST' ? { body: 'output' } : {}),
        });
        expect(response.status, `${method} ${path}`).toBe(status);
      }

      const { accessLines, spans } = await loggedAndTraced(
        server,
        receiver,
        '/ping/',
        pings.length,
      );
      const pingSpans = spans();
      expect(accessLines()).toHaveLength(pings.length);
      expect(pingSpans).toHaveLength(pings.length);
      for (const line of accessLines()) expect(line).toContain(`"path":"/ping/${REDACTED}`);
      expect(accessLines().some((line) => line.includes(`/ping/${REDACTED}/redacted/start`))).toBe(
        true,
      );
      for (const span of pingSpans) {
        expect(String(span.attributes['url.path'])).toMatch(/^\/ping\/\[redacted\](\/|$)/);
      }

      const everything = server.output() + JSON.stringify(receiver.spans);
      for (const secret of [uuid, uuid.toUpperCase(), pingKey]) {
        expect(everything).not.toContain(secret);
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await receiver.close();
    }
  });
  it('logs and traces every badge form with its badge key redacted', async () => {
    const { receiver, server } = await tracedServer();
    try {
      expect((await callAsAdmin(server, 'POST', '/api/jobs', { name: 'b', key: 'b' })).status).toBe(
        201,
      );
      const on = await callAsAdmin(server, 'POST', '/api/projects/1/badge-key');
      const { badgeKey } = on.body as { badgeKey: string };
      expect(badgeKey).toMatch(/^[0-9a-f]{32}$/);

      const badges: [path: string, status: number][] = [
        [`/badge/${badgeKey}/b.svg`, 200],
        [`/badge/${badgeKey}/b.json`, 200],
        [`/badge/${badgeKey}.svg`, 200],
        [`/badge/${badgeKey}.json`, 200],
        [`/badge/${badgeKey}/nope.svg`, 404],
        [`/badge/${badgeKey}/b.png`, 404],
      ];
      for (const [path, status] of badges) {
        expect((await fetch(`${server.baseUrl}${path}`)).status, path).toBe(status);
      }
      const { accessLines, spans: badgeSpans } = await loggedAndTraced(
        server,
        receiver,
        '/badge/',
        badges.length,
      );
      expect(accessLines()).toHaveLength(badges.length);
      expect(badgeSpans()).toHaveLength(badges.length);
      for (const line of accessLines()) expect(line).toContain(`"path":"/badge/${REDACTED}`);
      expect(accessLines().some((line) => line.includes(`/badge/${REDACTED}/b.svg`))).toBe(true);
      expect(accessLines().some((line) => line.includes(`/badge/${REDACTED}.json`))).toBe(true);
      expect(server.output() + JSON.stringify(receiver.spans)).not.toContain(badgeKey);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await receiver.close();
    }
  });
});
