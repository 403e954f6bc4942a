import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import {
  callAsAdmin,
  startNodeServer,
  stopNodeServer,
  type NodeServer,
} from '../../test/support/node-process.js';
import { startReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';

/** The goal: late and down each recorded and notified within 2 s of its deadline. */
const ON_TIME_MS = 2_000;

interface JobEvent {
  type: string;
  data: { job: { id: number; health: string; previousHealth: string; healthChangedAt: string } };
}

/**
 * Health on time (issue 24, point 5), end to end: the real Node entry with the DEFAULT sweep
 * interval (30 s, as a new user runs it), a job with a short grace, and a webhook to a receiver on
 * loopback. The job's late and down deadlines both fall before the first sweep after startup, so
 * only the health timer can record them on time; each webhook must arrive within 2 s of its
 * deadline, late before down.
 */
describe('health on time on the Node server, default settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-on-time-e2e-'));
  let receiver: WebhookReceiver;
  let server: NodeServer;
  beforeAll(async () => {
    receiver = await startReceiver();
    // Only what a test needs: a key, a file, no rate limit, loopback webhooks. No interval set.
    server = await startNodeServer({
      DATABASE_FILE: join(dir, 'on-time.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      RATE_LIMIT_PER_MINUTE: '0',
      NODE_ENV: 'test',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
  });
  afterAll(async () => {
    await stopNodeServer(server);
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a job 4 s past due is late, 8 s past due down: each webhook within 2 s of its deadline, in order', async () => {
    expect(server.output()).toContain('"sweepIntervalSeconds":30');
    const call = (method: string, path: string, body?: unknown) =>
      callAsAdmin(server, method, path, body);
    // Expected 3 s after its creation (it never ran), grace 4 s: late at +7 s, down at +11 s.
    const job = await call('POST', '/api/jobs', {
      name: 'every three seconds',
      schedule: 'every 3s',
      graceSeconds: 4,
    });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    const id = job.body.id as number;
    const expected = Date.parse(job.body.nextExpectedAt as string);
    const deadlines = { 'job.late': expected + 4_000, 'job.down': expected + 8_000 };
    const hook = await call('POST', '/api/webhooks', {
      url: receiver.url,
      events: ['job.late', 'job.down'],
      jobId: id,
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const verifier = new StandardWebhook(hook.body.secret as string);

    // When each delivery arrived, seen every 20 ms.
    const arrivals: number[] = [];
    const watchUntil = deadlines['job.down'] + 10_000;
    while (arrivals.length < 2 && Date.now() < watchUntil) {
      while (arrivals.length < receiver.received.length) arrivals.push(Date.now());
      await new Promise((r) => setTimeout(r, 20));
    }
    const events = receiver.received.map(
      (received) =>
        verifier.verify(received.body, received.headers as Record<string, string>) as JobEvent,
    );
    expect(events.map((e) => [e.type, e.data.job.previousHealth, e.data.job.health])).toEqual([
      ['job.late', 'new', 'late'],
      ['job.down', 'late', 'down'],
    ]);
    const measured = events.map((event, i) => {
      const deadline = deadlines[event.type as keyof typeof deadlines];
      return {
        type: event.type,
        recordedAfterMs: Date.parse(event.data.job.healthChangedAt) - deadline,
        arrivedAfterMs: arrivals[i]! - deadline,
      };
    });
    console.log('health on time:', JSON.stringify(measured));
    for (const { type, recordedAfterMs, arrivedAfterMs } of measured) {
      // Never before its deadline (the clocks are one machine's), and within the 2 s.
      expect(recordedAfterMs, type).toBeGreaterThanOrEqual(0);
      expect(arrivedAfterMs, type).toBeLessThanOrEqual(ON_TIME_MS);
    }
  }, 60_000);
});
