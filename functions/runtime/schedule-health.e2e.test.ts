import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { callAsAdmin, startNodeServer, type NodeServer } from '../../test/support/node-process.js';
import { startReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';

/** Polls `probe` until it returns a value (not undefined), or fails after `ms`. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface JobEvent {
  type: string;
  timestamp: string;
  data: { job: { id: number; health: string; previousHealth: string } };
}

/**
 * The real-time test: a started Node server sweeping every second, a job expected every
 * two seconds (6-field cron), a webhook to a receiver on loopback. Nothing is faked: the server's
 * own clock, sweep loop, triggers and dispatcher.
 */
describe('a schedule in real time on the Node server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-schedule-e2e-'));
  let receiver: WebhookReceiver;
  let server: NodeServer;
  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startNodeServer({
      DATABASE_FILE: join(dir, 'schedule.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      RATE_LIMIT_PER_MINUTE: '0',
      NODE_ENV: 'test',
      SWEEP_INTERVAL_SECONDS: '1',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_DISPATCH_INTERVAL_SECONDS: '1',
    });
  });
  afterAll(async () => {
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: unknown) =>
    callAsAdmin(server, method, path, body);

  /** The ids of the jobs whose recorded health is `health`. */
  const listed = async (health: string) =>
    ((await call('GET', `/api/jobs?health=${health}`)).body.data as Array<{ id: number }>).map(
      (job) => job.id,
    );

  /**
   * The receiver's deliveries, each verified with the standardwebhooks package, in the order the
   * changes happened (the dispatcher delivers what is due at once concurrently, so two events
   * due together may arrive in either order).
   */
  const events = (secret: string) =>
    receiver.received
      .map(
        (hook) =>
          new StandardWebhook(secret).verify(
            hook.body,
            hook.headers as Record<string, string>,
          ) as JobEvent,
      )
      .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));

  it('new -> late -> down, notified with signed job.late and job.down; a run makes it up, notified job.up', async () => {
    // Grace 2 s, not 1: the job is late for one grace (until down), and with one sweep a second
    // on a loaded machine a 1-second window could fall between two ticks.
    const job = await call('POST', '/api/jobs', {
      name: 'every two seconds',
      schedule: '*/2 * * * * *',
      graceSeconds: 2,
    });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    expect(job.body.health).toBe('new');
    const id = job.body.id as number;
    const hook = await call('POST', '/api/webhooks', {
      url: receiver.url,
      events: ['job.late', 'job.down', 'job.up'],
      jobId: id,
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const secret = hook.body.secret as string;
    expect(await listed('new')).toEqual([id]);

    // No run within the grace after the expected time: late, then, a grace later, down.
    await eventually('the job listed late', async () =>
      (await listed('late')).includes(id) ? true : undefined,
    );
    await eventually('the job listed down', async () =>
      (await listed('down')).includes(id) ? true : undefined,
    );
    expect(await listed('late')).toEqual([]);
    await receiver.waitFor(2, 20_000);
    expect(
      events(secret).map((e) => [e.type, e.data.job.previousHealth, e.data.job.health]),
    ).toEqual([
      ['job.late', 'new', 'late'],
      ['job.down', 'late', 'down'],
    ]);

    // A run arrives: the expectation moves past it, and the next tick records up.
    const run = await call('POST', `/api/jobs/${id}/runs`, { status: 'RUNNING' });
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    expect((await call('GET', `/api/jobs/${id}`)).body.health).toBe('up');
    await receiver.waitFor(3, 20_000);
    const [, , up] = events(secret);
    expect(up).toMatchObject({
      type: 'job.up',
      data: { job: { id, previousHealth: 'down', health: 'up' } },
    });
    // Each event has its own webhook-id (the one every attempt of it carries).
    const ids = receiver.received.slice(0, 3).map((hook) => hook.headers['webhook-id']);
    expect(new Set(ids).size).toBe(3);
  }, 60_000);
});
