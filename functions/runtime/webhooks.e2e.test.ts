import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import {
  callAsAdmin as call,
  startNodeServer,
  stopNodeServer as stop,
} from '../../test/support/node-process.js';
import { startReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';

/** The real Node server's in-process dispatcher, in real time, across a restart. */
describe('webhooks on the Node server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-webhooks-e2e-'));
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = {
    DATABASE_FILE: join(dir, 'restart.db'),
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    RATE_LIMIT_PER_MINUTE: '0',
    NODE_ENV: 'test',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // Long enough that the retry falls after the restart below.
    WEBHOOK_RETRY_BASE_SECONDS: '2',
    WEBHOOK_DISPATCH_INTERVAL_SECONDS: '0.2',
  };

  it('a server restart mid-retry does not lose the event: the next server delivers it, same webhook-id', async () => {
    receiver.answers.push(500);
    const first = await startNodeServer(env);
    let secret: string;
    try {
      const hook = await call(first, 'POST', '/api/webhooks', {
        url: receiver.url,
        events: ['run.failed'],
      });
      expect(hook.status).toBe(201);
      secret = hook.body.secret;
      const job = await call(first, 'POST', '/api/jobs', { name: 'restarted' });
      const run = await call(first, 'POST', `/api/jobs/${job.body.id}/runs`, {
        status: 'RUNNING',
      });
      await call(first, 'PATCH', `/api/runs/${run.body.id}`, { status: 'FAILED' });
      // Delivered within a dispatch interval or so, and refused by the receiver.
      await receiver.waitFor(1, 5000);
    } finally {
      await stop(first);
    }
    expect(receiver.received).toHaveLength(1);

    const second = await startNodeServer(env);
    try {
      const [failed, delivered] = await receiver.waitFor(2, 10_000);
      expect(delivered!.headers['webhook-id']).toBe(failed!.headers['webhook-id']);
      const payload = new StandardWebhook(secret).verify(
        delivered!.body,
        delivered!.headers as Record<string, string>,
      ) as { type: string };
      expect(payload.type).toBe('run.failed');
      const hooks = await call(second, 'GET', '/api/webhooks');
      const log = await call(second, 'GET', `/api/webhooks/${hooks.body.data[0].id}/deliveries`);
      expect(log.body.data[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(log.body.data[0].log.map((a: { responseStatus: number }) => a.responseStatus)).toEqual(
        [500, 200],
      );
    } finally {
      await stop(second);
    }
    expect(receiver.received).toHaveLength(2);
  }, 40_000);

  it('delivers right after the write, not on the next interval (an hour away here)', async () => {
    receiver.received.length = 0;
    const server = await startNodeServer({
      ...env,
      DATABASE_FILE: join(dir, 'after-write.db'),
      WEBHOOK_DISPATCH_INTERVAL_SECONDS: '3600', // its one pass ran at startup, before the webhook
    });
    try {
      const job = await call(server, 'POST', '/api/jobs', { name: 'prompt' });
      const hook = await call(server, 'POST', '/api/webhooks', {
        url: receiver.url,
        events: ['run.created'],
        jobId: job.body.id,
      });
      const run = await call(server, 'POST', `/api/jobs/${job.body.id}/runs`);
      const [delivered] = await receiver.waitFor(1, 10_000);
      const payload = new StandardWebhook(hook.body.secret).verify(
        delivered!.body,
        delivered!.headers as Record<string, string>,
      );
      expect(payload).toMatchObject({ type: 'run.created', data: { run: { id: run.body.id } } });
    } finally {
      await stop(server);
    }
  }, 30_000);

  it('refuses at creation a name that resolves to a refused address, with the message a delivery would give', async () => {
    const server = await startNodeServer({
      DATABASE_FILE: join(dir, 'resolve.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      NODE_ENV: 'test',
      WEBHOOK_DISPATCH_INTERVAL_SECONDS: '0',
    });
    try {
      // This host's own name resolves to loopback or a private address (/etc/hosts).
      const url = `http://${hostname()}:9/hook`;
      const refused = await call(server, 'POST', '/api/webhooks', { url, events: ['run.failed'] });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([
        {
          path: 'url',
          message: expect.stringMatching(
            new RegExp(`^refused: ${hostname()} resolves to .*, a loopback, private, link-local`),
          ),
        },
      ]);
      expect((await call(server, 'GET', '/api/webhooks')).body.data).toEqual([]);

      // A name that does not resolve (yet) is kept: its deliveries will say why they fail.
      const later = await call(server, 'POST', '/api/webhooks', {
        url: 'https://hooks.chronotrack-test.invalid/hook',
        events: ['run.failed'],
      });
      expect(later.status).toBe(201);
      const moved = await call(server, 'PATCH', `/api/webhooks/${later.body.id}`, { url });
      expect(moved.status).toBe(400);
      expect(moved.body.errors[0].message).toEqual(refused.body.errors[0].message);
    } finally {
      await stop(server);
    }
  });
});
