import { describe, expect, it } from 'vitest';
import { workerCalls } from '../../test/workers/worker-calls.js';

/**
 * Notification channels from the Worker's real entry (functions/runtime/worker.ts) in workerd
 * over D1, to the receiver on loopback in the Node process, which answers 400 to a request the
 * real service would refuse (test/support/channel-shapes.ts): the message goes out through
 * waitUntil right after the write, in each type's shape, and POST /test answers with what the
 * receiver said.
 */
describe('notification channels on Workers + D1', () => {
  const calls = workerCalls();
  const { receiverBase, receivedAt } = calls;
  /** A request whose waitUntil work (the dispatch pass after a write) is done when it answers. */
  const call = (method: string, path: string, body?: unknown) =>
    calls.call(method, path, body, { settle: true });

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
