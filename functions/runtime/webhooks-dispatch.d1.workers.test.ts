import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { openD1 } from '../../db/d1.js';
import { testRuntime } from '../../test/support/runtime.js';
import { workerCalls, type ReceivedHook as Received } from '../../test/workers/worker-calls.js';

/**
 * Webhook delivery from the Worker's real entry (functions/runtime/worker.ts) in workerd, to a real
 * receiver on loopback in the Node process (test/support/webhook-receiver-setup.ts):
 * from the Cron Trigger's `scheduled` handler, and through waitUntil right after the write.
 */
describe('webhook delivery on Workers + D1', () => {
  const { worker, vars, headers, receiverBase, call, receivedAt } = workerCalls();

  /** A job and a webhook for its events alone, delivered to a path of its own. */
  async function jobWithHook(name: string, events: string[]) {
    const job = await call('POST', '/api/jobs', { name });
    expect(job.status).toBe(201);
    const path = `/hook/${crypto.randomUUID()}`;
    const hook = await call('POST', '/api/webhooks', {
      url: `${receiverBase}${path}`,
      events,
      jobId: job.body.id,
    });
    expect(hook.status).toBe(201);
    return { jobId: job.body.id as number, path, secret: hook.body.secret as string };
  }

  const verified = (secret: string, hook: Received) =>
    new StandardWebhook(secret).verify(hook.body, hook.headers) as {
      type: string;
      data: { run: { id: number; status: string } };
    };

  it('delivers from the Cron Trigger: a run written with no pass after it goes out on scheduled()', async () => {
    const { jobId, path, secret } = await jobWithHook('Delivered on the cron', ['run.failed']);
    // Another isolate's app without the pass after writes: the outbox row waits for the cron.
    const { app: elsewhere } = testRuntime(openD1(env.DB), undefined, { rateLimiter: undefined });
    const write = (method: string, path: string, body: unknown) =>
      elsewhere.request(path, { method, headers, body: JSON.stringify(body) });
    const run = await write('POST', `/api/jobs/${jobId}/runs`, { status: 'RUNNING' });
    expect(run.status).toBe(201);
    const { id: runId } = (await run.json()) as { id: number };
    const failed = await write('PATCH', `/api/runs/${runId}`, {
      status: 'FAILED',
      errorMessage: 'disk full',
    });
    expect(failed.status).toBe(200);
    expect(await receivedAt(path)).toEqual([]);

    await worker.scheduled(
      createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }),
      vars,
    );
    const [hook, ...more] = await receivedAt(path);
    expect(more).toEqual([]);
    expect(verified(secret, hook!)).toMatchObject({
      type: 'run.failed',
      data: { run: { id: runId, status: 'FAILED' } },
    });
  });

  it('delivers through waitUntil right after POST run, with no scheduled() call', async () => {
    const { jobId, path, secret } = await jobWithHook('Delivered after the write', ['run.created']);
    const run = await call('POST', `/api/jobs/${jobId}/runs`);
    expect(run.status).toBe(201);
    // The pass runs after the response, kept alive by the request's waitUntil.
    await waitOnExecutionContext(run.ctx);
    const [hook, ...more] = await receivedAt(path);
    expect(more).toEqual([]);
    expect(verified(secret, hook!)).toMatchObject({
      type: 'run.created',
      data: { run: { id: run.body.id, status: 'PENDING' } },
    });
    const log = await call('GET', `/api/webhooks`);
    const webhookId = (log.body.data as { id: number; url: string }[]).find((w) =>
      w.url.endsWith(path),
    )!.id;
    const deliveries = await call('GET', `/api/webhooks/${webhookId}/deliveries`);
    expect(deliveries.body.data).toMatchObject([
      { status: 'succeeded', attempts: 1, log: [{ responseStatus: 200 }] },
    ]);
  });

  it('records a refused attempt and keeps the delivery for a retry (any host but the receiver answers 502 here)', async () => {
    const job = await call('POST', '/api/jobs', { name: 'Hooked elsewhere' });
    const hook = await call('POST', '/api/webhooks', {
      url: 'https://hooks.example.com/elsewhere',
      events: ['run.created'],
      jobId: job.body.id,
    });
    expect(hook.status).toBe(201);
    const run = await call('POST', `/api/jobs/${job.body.id}/runs`);
    await waitOnExecutionContext(run.ctx);
    const deliveries = await call('GET', `/api/webhooks/${hook.body.id}/deliveries`);
    expect(deliveries.body.data).toMatchObject([
      {
        status: 'pending',
        attempts: 1,
        log: [
          {
            responseStatus: 502,
            error: 'HTTP 502',
            responseExcerpt: 'no network in the Workers tests: hooks.example.com',
          },
        ],
      },
    ]);
  });

  it('delivers after a ping too (no API key), through the same waitUntil', async () => {
    const { jobId, path, secret } = await jobWithHook('Pinged', ['run.succeeded']);
    const job = await call('GET', `/api/jobs/${jobId}`);
    const ctx = createExecutionContext();
    const ping = await worker.fetch(
      new Request(`http://chronotrack.test/ping/${job.body.pingUuid}`),
      vars,
      ctx,
    );
    expect(await ping.text()).toBe('OK');
    await waitOnExecutionContext(ctx);
    const [hook] = await receivedAt(path);
    expect(verified(secret, hook!).type).toBe('run.succeeded');
  });
});
