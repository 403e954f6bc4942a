import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { createWorker } from './worker.js';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Notification channels from the Worker's real entry (functions/runtime/worker.ts) in workerd
 * over D1, to the receiver on loopback in the Node process, which answers 400 to a request the
 * real service would refuse (test/support/channel-shapes.ts): the message goes out through
 * waitUntil right after the write, in each type's shape, and POST /test answers with what the
 * receiver said.
 */
describe('notification channels on Workers + D1', () => {
  const receiverBase = inject('webhookReceiverBase');
  const vars = { ...env, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_SECONDS: '3600' };
  const worker = createWorker();
  const headers = { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' };

  async function call(method: string, path: string, body?: unknown) {
    const ctx = createExecutionContext();
    const request = new Request(`http://chronotrack.test${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const response = await worker.fetch(request, vars, ctx);
    const text = await response.text();
    const answer = {
      status: response.status,
      body: (text === '' ? {} : JSON.parse(text)) as Record<string, never>,
    };
    await waitOnExecutionContext(ctx);
    return answer;
  }

  const receivedAt = async (path: string): Promise<Received[]> => {
    const all = (await (await fetch(`${receiverBase}/received`)).json()) as Received[];
    return all.filter((hook) => hook.path === path);
  };

  const CONFIG = {
    slack: (path: string) => ({ webhookUrl: `${receiverBase}${path}` }),
    discord: (path: string) => ({ webhookUrl: `${receiverBase}${path}` }),
    teams: (path: string) => ({ webhookUrl: `${receiverBase}${path}` }),
    ntfy: (path: string) => ({ url: `${receiverBase}${path}`, token: 'tk_worker' }),
    pagerduty: (path: string) => ({
      routingKey: 'R0WORKER000000000000000000000001',
      url: `${receiverBase}${path}`,
    }),
  };

  it.each(Object.keys(CONFIG) as Array<keyof typeof CONFIG>)(
    '%s: a failed run is delivered in the documented shape right after the write',
    async (type) => {
      const job = await call('POST', '/api/jobs', { name: `Worker job ${type}` });
      expect(job.status).toBe(201);
      const path = `/channel/${type}/${crypto.randomUUID()}`;
      const channel = await call('POST', '/api/channels', {
        name: `worker ${type}`,
        type,
        config: CONFIG[type](path),
        events: ['run.failed'],
        jobIds: [job.body.id],
      });
      expect(channel.status).toBe(201);
      const run = await call('POST', `/api/jobs/${job.body.id}/runs`, { status: 'RUNNING' });
      const failed = await call('PATCH', `/api/runs/${run.body.id}`, {
        status: 'FAILED',
        exitCode: 2,
        errorMessage: 'worker boom',
      });
      expect(failed.status).toBe(200);
      const [hook, ...more] = await receivedAt(path);
      expect(more).toEqual([]);
      expect(hook!.body).toContain('worker boom');
      expect(hook!.body + JSON.stringify(hook!.headers)).toContain(`Worker job ${type}`);
      const deliveries = await call('GET', `/api/channels/${channel.body.id}/deliveries`);
      expect(deliveries.body.data).toMatchObject([
        { eventType: 'run.failed', status: 'succeeded', log: [{ responseStatus: 200 }] },
      ]);

      const test = await call('POST', `/api/channels/${channel.body.id}/test`);
      expect(test.status).toBe(200);
      expect(test.body).toMatchObject({
        status: 'succeeded',
        log: [{ responseStatus: 200, responseExcerpt: 'ok' }],
      });
      await call('DELETE', `/api/channels/${channel.body.id}`);
    },
  );
});
