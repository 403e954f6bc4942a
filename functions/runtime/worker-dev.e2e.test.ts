import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { startWranglerDev } from '../../test/support/wrangler-dev.js';
import { startReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';

/** `npm run dev:worker` as a new user runs it (test/support/wrangler-dev.ts). */
describe('npm run dev:worker', () => {
  const state = mkdtempSync(join(tmpdir(), 'chronotrack-wrangler-'));
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(state, { recursive: true, force: true });
  });

  it('serves the API on the Workers runtime with a migrated local D1', async () => {
    const worker = await startWranglerDev({
      persistTo: state,
      vars: {
        // ADMIN_API_KEY as a Worker secret would be, passed the way the README shows.
        ADMIN_API_KEY: TEST_ADMIN_KEY,
        // The receiver below is on loopback.
        WEBHOOK_ALLOW_PRIVATE: 'true',
      },
      // The Cron Trigger on demand: GET /__scheduled runs the scheduled handler.
      args: ['--test-scheduled'],
    });
    const base = worker.baseUrl;
    try {
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect((await fetch(`${base}/api/jobs`)).status).toBe(401);
      const auth = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
      const job = await fetch(`${base}/api/jobs`, {
        method: 'POST',
        body: '{"name":"on workerd"}',
        headers: { ...auth, 'Content-Type': 'application/json' },
      });
      expect(job.status).toBe(201);
      const { id } = (await job.json()) as { id: number };
      const run = await fetch(`${base}/api/jobs/${id}/runs`, { method: 'POST', headers: auth });
      expect(run.status).toBe(201);
      // The Rate Limiting binding runs locally too: its headers are on every limited response.
      expect(run.headers.get('RateLimit-Policy')).toBe('"default";q=1200;w=60');
      const runs = await fetch(`${base}/api/jobs/${id}/runs`, { headers: auth });
      expect(((await runs.json()) as { data: unknown[] }).data).toHaveLength(1);

      // No SMTP_URL among this Worker's vars: an email channel is refused, naming what is missing
      // (channels-worker-dev.e2e.test.ts sends email with them set).
      const email = await fetch(`${base}/api/channels`, {
        method: 'POST',
        body: JSON.stringify({
          name: 'No SMTP',
          type: 'email',
          config: { to: ['ops@example.com'] },
          events: ['run.failed'],
        }),
        headers: { ...auth, 'Content-Type': 'application/json' },
      });
      expect(email.status).toBe(422);
      expect(await email.json()).toMatchObject({
        code: 'MAIL_NOT_CONFIGURED',
        detail: expect.stringMatching(/SMTP_URL and SMTP_FROM/),
      });

      // A webhook is delivered right after the write (waitUntil), with no /__scheduled call:
      // wrangler dev runs no Cron Trigger on its own.
      const hook = await fetch(`${base}/api/webhooks`, {
        method: 'POST',
        body: JSON.stringify({ url: receiver.url, events: ['run.created'], jobId: id }),
        headers: { ...auth, 'Content-Type': 'application/json' },
      });
      expect(hook.status).toBe(201);
      const { secret } = (await hook.json()) as { secret: string };
      const hooked = await fetch(`${base}/api/jobs/${id}/runs`, { method: 'POST', headers: auth });
      const { id: hookedRunId } = (await hooked.json()) as { id: number };
      const [delivered] = await receiver.waitFor(1, 10_000);
      expect(
        new StandardWebhook(secret).verify(
          delivered!.body,
          delivered!.headers as Record<string, string>,
        ),
      ).toMatchObject({ type: 'run.created', data: { run: { id: hookedRunId } } });

      // --test-scheduled reached wrangler dev: /__scheduled runs a sweep, which fails a PENDING
      // run once its job's pendingTimeoutSeconds has passed.
      const limited = await fetch(`${base}/api/jobs`, {
        method: 'POST',
        body: '{"name":"swept on workerd","pendingTimeoutSeconds":1}',
        headers: { ...auth, 'Content-Type': 'application/json' },
      });
      expect(limited.status).toBe(201);
      const { id: limitedId } = (await limited.json()) as { id: number };
      const pending = await fetch(`${base}/api/jobs/${limitedId}/runs`, {
        method: 'POST',
        headers: auth,
      });
      const { id: runId } = (await pending.json()) as { id: number };
      await new Promise((r) => setTimeout(r, 1100));
      const tick = await fetch(`${base}/__scheduled?cron=*+*+*+*+*`);
      expect(tick.status).toBe(200);
      expect(await tick.text()).toBe('Ran scheduled event'); // after the handler's promise settled
      const swept = await fetch(`${base}/api/runs/${runId}`, { headers: auth });
      expect(await swept.json()).toMatchObject({ status: 'FAILED', errorMessage: 'never started' });
      expect(worker.output()).toMatch(/"msg":"run swept".*"reason":"never started"/);
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
