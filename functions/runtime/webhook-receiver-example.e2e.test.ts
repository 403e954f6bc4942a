import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import {
  callAsAdmin,
  freePort,
  startNodeServer,
  stopNodeServer,
} from '../../test/support/node-process.js';

/**
 * The README's webhook example, run as written in a shell against a real server: the receiver
 * the repository ships (scripts/webhook-receiver.mjs, docs/alerts.md's) gets and verifies the
 * test event and a run.failed, and the delivery log shows them delivered.
 */

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const alerts = readFileSync(new URL('../../docs/alerts.md', import.meta.url), 'utf8');
const receiver = readFileSync(
  new URL('../../scripts/webhook-receiver.mjs', import.meta.url),
  'utf8',
);

/** The shell block of the README that runs the receiver. */
const webhookBlock = () => {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const block = blocks.find((b) => b.includes('scripts/webhook-receiver.mjs'));
  if (!block) throw new Error('no README block runs scripts/webhook-receiver.mjs');
  return block;
};

describe("the README's webhook example", () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-readme-hook-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("docs/alerts.md's receiver is the file the repository ships", () => {
    const section = alerts.slice(alerts.indexOf('### A receiver that verifies signatures'));
    expect(/```js\n([\s\S]*?)```/.exec(section)![1]).toBe(receiver);
  });

  it('works as written on one machine: the receiver prints the events, the log shows them delivered', async () => {
    const block = webhookBlock();
    // The server is started by the test, with the setting the block's first line names.
    const [start, ...commands] = block.trim().split('\n');
    expect(start).toMatch(/^WEBHOOK_ALLOW_PRIVATE=true npm start/);
    const server = await startNodeServer({
      DATABASE_FILE: join(dir, 'readme.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    try {
      const job = await callAsAdmin(server, 'POST', '/api/jobs', { name: 'README webhook' });
      const receiverPort = String(await freePort());
      const script = commands
        .join('\n')
        .replaceAll('localhost:3000', server.baseUrl.replace('http://', ''))
        .replaceAll('127.0.0.1:8080', `127.0.0.1:${receiverPort}`);
      const run = spawnSync('bash', ['-c', script], {
        encoding: 'utf8',
        timeout: 30_000,
        env: {
          ...process.env,
          CT_AUTH: `Authorization: Bearer ${TEST_ADMIN_KEY}`,
          PING_URL: job.body.pingUrl,
          RECEIVER_PORT: receiverPort,
        },
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/webhook\.test \{"webhook":\{"id":\d+/);
      expect(run.stdout).toMatch(/run\.failed \{"run":\{.*"status":"FAILED"/);
      const hooks = (await callAsAdmin(server, 'GET', '/api/webhooks')).body.data as Array<{
        id: number;
        enabled: boolean;
      }>;
      expect(hooks).toHaveLength(1);
      expect(hooks[0]!.enabled).toBe(true);
      const deliveries = (
        await callAsAdmin(server, 'GET', `/api/webhooks/${hooks[0]!.id}/deliveries`)
      ).body.data as Array<{ eventType: string; status: string }>;
      expect(deliveries.map((d) => [d.eventType, d.status]).sort()).toEqual([
        ['run.failed', 'succeeded'],
        ['webhook.test', 'succeeded'],
      ]);
    } finally {
      await stopNodeServer(server);
    }
  }, 60_000);
});
