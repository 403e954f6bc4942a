import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { openD1 } from '../../db/d1.js';
import { drizzleStores } from '../../db/stores.js';

/**
 * The dispatcher's statements on D1 (workerd): a test event queued in one batch, claimed under a
 * lease that a second claim cannot take, and an attempt recorded with its delivery moved on in one
 * batch. Sending happens on Node in the tests (a real receiver); here the storage half is real.
 */
describe('webhook outbox statements on D1', () => {
  const stores = drizzleStores(openD1(env.DB));

  it('queues, leases (compare-and-set) and records a delivery', async () => {
    const now = new Date();
    const hook = await stores.webhooks.create({
      url: 'https://hooks.example.com/d1',
      description: null,
      events: ['run.failed'],
      projectId: null,
      jobId: null,
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      createdAt: now,
    });
    const deliveryId = await stores.webhooks.enqueueTest(hook.id, '{"x":1}', now);
    const until = new Date(now.getTime() + 60_000);
    const [claimed] = await stores.webhooks.claimDue(now, until, 'first', 10, deliveryId);
    expect(claimed).toMatchObject({ id: deliveryId, attempts: 0, eventType: 'webhook.test' });
    expect(await stores.webhooks.claimDue(now, until, 'second', 10, deliveryId)).toEqual([]);
    await stores.webhooks.record(
      {
        delivery: claimed!,
        attempt: {
          responseStatus: 500,
          error: 'HTTP 500',
          durationMs: 12,
          responseExcerpt: 'no',
          createdAt: now,
        },
        status: 'failed',
        nextAttemptAt: null,
        disableReason: 'given up',
      },
      now,
    );
    const [delivery] = await stores.webhooks.deliveries(hook.id, 10);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null });
    expect(delivery!.log).toMatchObject([{ attempt: 1, responseStatus: 500, error: 'HTTP 500' }]);
    expect(await stores.webhooks.findById(hook.id)).toMatchObject({
      enabled: false,
      disabledReason: 'given up',
    });
  });
});
