import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli/cli-process.js';
import pkg from '../../package.json' with { type: 'json' };
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { callAsAdmin, startNodeServer, stopNodeServer } from '../../test/support/node-process.js';
import { startOtlpReceiver } from '../../test/support/otlp-receiver.js';
import { startReceiver } from '../../test/support/webhook-receiver.js';

/**
 * One version everywhere a user or an operator reads one, and it is package.json's: the OpenAPI
 * document (and so /api/docs), the CLI's --version, the webhooks' User-Agent and the spans'
 * `service.version`, from a real server process and a real CLI process.
 */
describe('the version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-version-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is package.json's in the API, the CLI, the webhooks and the traces", async () => {
    const { version } = pkg;
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    const collector = await startOtlpReceiver();
    const hooks = await startReceiver();
    const server = await startNodeServer({
      DATABASE_FILE: join(dir, 'version.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    try {
      const doc = (await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as {
        info: { version: string };
      };
      expect(doc.info.version).toBe(version);

      const hook = await callAsAdmin(server, 'POST', '/api/webhooks', {
        url: hooks.url,
        events: ['run.failed'],
      });
      expect(hook.status).toBe(201);
      expect((await callAsAdmin(server, 'POST', `/api/webhooks/${hook.body.id}/test`)).status).toBe(
        200,
      );
      const [delivered] = await hooks.waitFor(1);
      expect(delivered!.headers['user-agent']).toBe(
        `ChronoTrack-Webhooks/1 ChronoTrack/${version}`,
      );

      const deadline = Date.now() + 10_000;
      while (collector.spans.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(collector.spans.length).toBeGreaterThan(0);
      for (const span of collector.spans) expect(span.resource['service.version']).toBe(version);

      const cli = await runCli(['--version']);
      expect(cli).toMatchObject({ code: 0, stderr: '' });
      expect(cli.stdout.toString()).toBe(`${version}\n`);
    } finally {
      await stopNodeServer(server);
      await hooks.close();
      await collector.close();
    }
  }, 60_000);
});
