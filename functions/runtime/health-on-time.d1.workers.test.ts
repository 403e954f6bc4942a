import { createExecutionContext, createScheduledController, env } from 'cloudflare:test';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { describe, expect, inject, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { createWorker } from './worker.js';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Health on Workers (issue 24, point 5): the Cron Trigger runs at most once a minute, so one
 * scheduled run may find a job past both its late and down deadlines. It records late, then
 * down, and queues job.late then job.down; the receiver is the Node process's, on loopback
 * (test/support/webhook-receiver-setup.ts).
 */
describe('health on the Cron Trigger (Workers + D1)', () => {
  const receiverBase = inject('webhookReceiverBase');
  const vars = { ...env, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_SECONDS: '3600' };
  const worker = createWorker();
  const headers = { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' };

  async function call(method: string, path: string, body?: unknown) {
    const request = new Request(`http://chronotrack.test${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const response = await worker.fetch(request, vars, createExecutionContext());
    return { status: response.status, body: (await response.json()) as Record<string, never> };
  }
  const scheduled = (scheduledTime: number) =>
    worker.scheduled(createScheduledController({ scheduledTime, cron: '* * * * *' }), vars);

  it('one scheduled run past both deadlines records late then down, and sends job.late and job.down', async () => {
    // Every minute, grace 20 s: late 20 s after the expected minute, down 40 s after it.
    const job = await call('POST', '/api/jobs', {
      name: 'Minutely on the cron',
      schedule: '* * * * *',
      graceSeconds: 20,
    });
    expect(job.status).toBe(201);
    const id = job.body.id as number;
    // Created five minutes ago (no run since): its first expected minute is long past.
    await env.DB.prepare('UPDATE jobs SET created_at = created_at - 300000 WHERE id = ?')
      .bind(id)
      .run();
    const path = `/hook/${crypto.randomUUID()}`;
    const hook = await call('POST', '/api/webhooks', {
      url: `${receiverBase}${path}`,
      events: ['job.late', 'job.down'],
      jobId: id,
    });
    expect(hook.status).toBe(201);

    // One invocation, the first since both deadlines passed.
    await scheduled(Date.now());
    const recorded = await env.DB.prepare('SELECT health FROM jobs WHERE id = ?')
      .bind(id)
      .first<{ health: string }>();
    expect(recorded?.health).toBe('down');
    const queued = await env.DB.prepare(
      'SELECT type FROM webhook_events WHERE job_id = ? ORDER BY id',
    )
      .bind(id)
      .all<{ type: string }>();
    expect(queued.results.map((row) => row.type)).toEqual(['job.late', 'job.down']);

    // Delivered (by this invocation or the next, which finds nothing more to record).
    await scheduled(Date.now());
    const all = (await (await fetch(`${receiverBase}/received`)).json()) as Received[];
    const delivered = all
      .filter((received) => received.path === path)
      .map(
        (received) =>
          new StandardWebhook(hook.body.secret as string).verify(
            received.body,
            received.headers,
          ) as { type: string; data: { job: { previousHealth: string; health: string } } },
      )
      .map((event) => [event.type, event.data.job.previousHealth, event.data.job.health]);
    expect(delivered.sort()).toEqual([
      ['job.down', 'late', 'down'],
      ['job.late', 'new', 'late'],
    ]);
  });
});
