import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../../db/better-sqlite3.js';
import { drizzleStores } from '../../../db/stores.js';
import { createJsonLogger } from '../../../shared/logger.js';
import type { WebhookSettings } from '../../../shared/webhooks/dispatcher.js';
import { urlProblem } from '../../../shared/webhooks/url-guard.js';
import { appOver, requestTarget } from '../../../test/support/apps.js';
import { client } from '../../../test/support/client.js';
import { testRuntime } from '../../../test/support/runtime.js';
import { nodeWebhookResolver } from '../../runtime/node-webhook-resolver.js';
import {
  FAST_WEBHOOKS,
  startReceiver,
  type WebhookReceiver,
} from '../../../test/support/webhook-receiver.js';

const logger = createJsonLogger({ silent: true });

describe('webhooks on better-sqlite3 against a real receiver on loopback', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-webhooks-'));
  const file = join(dir, 'hooks.db');
  const database = openBetterSqlite(file);
  const stores = drizzleStores(database);
  let receiver: WebhookReceiver;
  const appWith = (settings: WebhookSettings) =>
    client(requestTarget(appOver(database, logger, { webhookSettings: settings })));
  const api = appWith(FAST_WEBHOOKS);
  const dispatcher = (settings: WebhookSettings = FAST_WEBHOOKS) =>
    testRuntime(database, logger, { webhookSettings: settings }).dispatcher;
  const createdHooks: number[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    // Each test's webhooks go, so the next one's runs do not feed them.
    for (const id of createdHooks.splice(0)) await api.delete(`/api/webhooks/${id}`);
    receiver.received.length = 0;
    receiver.answers.length = 0;
  });
  afterAll(async () => {
    await receiver.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function hook(body: Record<string, unknown>, who = api) {
    const res = await who.post('/api/webhooks', { url: receiver.url, ...body });
    expect(res.status, res.text).toBe(201);
    createdHooks.push(res.body.id);
    return res.body as { id: number; secret: string };
  }

  /** Dispatches until `done` holds (each pass delivers what is due), at most `timeoutMs`. */
  async function dispatchUntil(
    done: () => boolean | Promise<boolean>,
    settings = FAST_WEBHOOKS,
    timeoutMs = 15_000,
  ) {
    const deadline = Date.now() + timeoutMs;
    const d = dispatcher(settings);
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('dispatch did not get there in time');
      await d.dispatch();
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const outboxCount = async () =>
    Number(
      (await database.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM webhook_events`))[0]!.n,
    );

  it('writes no outbox row while no webhook is enabled', async () => {
    const before = await outboxCount();
    const job = await api.job('No hooks');
    const run = await api.run(job.id, { status: 'RUNNING' });
    await api.patch(`/api/runs/${run.id}`, { status: 'SUCCESS' });
    expect(await outboxCount()).toBe(before);
  });

  it('delivers run.created and run.succeeded signed as Standard Webhooks, verified by the standardwebhooks package', async () => {
    const { secret } = await hook({ events: ['run.created', 'run.succeeded'] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const job = await api.job('Signed hooks', { key: 'signed-hooks' });
    const run = await api.run(job.id, { status: 'RUNNING' });
    expect((await api.patch(`/api/runs/${run.id}`, { status: 'SUCCESS' })).status).toBe(200);
    await dispatchUntil(() => receiver.received.length >= 2);
    const verifier = new StandardWebhook(secret);
    const payloads = receiver.received.map(({ headers, body }) => {
      expect(headers['content-type']).toBe('application/json');
      expect(headers['webhook-signature']).toMatch(/^v1,/);
      return verifier.verify(body, headers as Record<string, string>) as {
        type: string;
        timestamp: string;
        data: { run: { id: number; status: string; jobId: number }; job: { key: string } };
      };
    });
    expect(payloads.map((p) => p.type).sort()).toEqual(['run.created', 'run.succeeded']);
    const succeeded = payloads.find((p) => p.type === 'run.succeeded')!;
    expect(succeeded.data.run).toMatchObject({ id: run.id, jobId: job.id, status: 'SUCCESS' });
    expect(succeeded.data.job.key).toBe('signed-hooks');
    // A tampered body fails the same verification.
    const [first] = receiver.received;
    expect(() =>
      verifier.verify(
        first!.body.replace('run.', 'RUN.'),
        first!.headers as Record<string, string>,
      ),
    ).toThrow();
  });

  it('retries a receiver that fails twice: three attempts, one event id, one delivery in the log', async () => {
    const { id } = await hook({ events: ['run.failed'] });
    receiver.answers.push(500, 503);
    const job = await api.job('Flaky receiver');
    const run = await api.run(job.id, { status: 'RUNNING' });
    await api.patch(`/api/runs/${run.id}`, { status: 'FAILED', errorMessage: 'disk full' });
    await dispatchUntil(() => receiver.received.length >= 3);
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^msg_[0-9a-f]{32}$/);
    // Backoff: the second attempt waits about the base delay, the third about twice it.
    const log = (await api.get(`/api/webhooks/${id}/deliveries`)).body.data;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: 'succeeded', attempts: 3, eventType: 'run.failed' });
    expect(log[0].eventId).toBe([...ids][0]);
    expect(log[0].log.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([
      500, 503, 200,
    ]);
    expect(log[0].log[0].error).toBe('HTTP 500');
    // The excerpt keeps at most 1 KB of the 4 KB body.
    expect(log[0].log[0].responseExcerpt.length).toBeLessThanOrEqual(1024);
    expect(log[0].log[0].responseExcerpt).toMatch(/^failing on purpose/);
    const times = log[0].log.map((a: { createdAt: string }) => Date.parse(a.createdAt));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(45);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(95);
  });

  it('disables the webhook when a delivery keeps failing for the retry window, with the reason; enabling resumes it', async () => {
    const settings = { ...FAST_WEBHOOKS, retryForSeconds: 1, retryBaseSeconds: 0.1 };
    const { id } = await hook({ events: ['run.cancelled'] });
    receiver.answers.push(...Array<number>(50).fill(500));
    const job = await api.job('Dead receiver');
    const run = await api.run(job.id);
    await api.patch(`/api/runs/${run.id}`, { status: 'CANCELLED' });
    await dispatchUntil(
      async () => (await api.get(`/api/webhooks/${id}`)).body.enabled === false,
      settings,
    );
    const disabled = (await api.get(`/api/webhooks/${id}`)).body;
    expect(disabled.disabledReason).toMatch(
      /could not be delivered in \d+ attempts over 1 s; last: HTTP 500/,
    );
    const [delivery] = (await api.get(`/api/webhooks/${id}/deliveries`)).body.data;
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts).toBeGreaterThanOrEqual(3);
    // A disabled webhook gets no events; enabled again it does, and its reason is gone.
    const before = receiver.received.length;
    const resumed = await api.patch(`/api/webhooks/${id}`, { enabled: true });
    expect(resumed.body).toMatchObject({ enabled: true, disabledReason: null });
    receiver.answers.length = 0;
    const second = await api.run(job.id);
    await api.patch(`/api/runs/${second.id}`, { status: 'CANCELLED' });
    await dispatchUntil(() => receiver.received.length > before);
  });

  it('sends only the events, job and project a webhook asked for', async () => {
    const watched = await api.job('Watched');
    const other = await api.job('Other');
    await hook({ events: ['run.failed'], jobId: watched.id });
    for (const job of [watched, other]) {
      const run = await api.run(job.id, { status: 'RUNNING' });
      await api.patch(`/api/runs/${run.id}`, { status: 'FAILED' });
    }
    const ok = await api.run(watched.id, { status: 'RUNNING' });
    await api.patch(`/api/runs/${ok.id}`, { status: 'SUCCESS' });
    await dispatchUntil(() => receiver.received.length >= 1);
    await dispatcher().dispatch();
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]!.body).data.job.id).toBe(watched.id);
  });

  it('records job.late, job.down and job.up when the recorded health changes, and run.slow', async () => {
    const job = await api.job('Health hooks');
    await hook({ events: ['job.late', 'job.down', 'job.up', 'run.slow'] });
    const setHealth = (health: string) =>
      database.writes.run(() =>
        database.writes.db.run(
          sql`UPDATE jobs SET health = ${health}, health_changed_at = ${Date.now()} WHERE id = ${job.id}`,
        ),
      );
    for (const health of ['up', 'late', 'down', 'down', 'up']) await setHealth(health);
    const run = await api.run(job.id, { status: 'RUNNING' });
    await database.writes.run(() =>
      database.writes.db.run(sql`UPDATE job_runs SET slow = 1 WHERE id = ${run.id}`),
    );
    await dispatchUntil(() => receiver.received.length >= 4);
    const types = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: any });
    expect(types.map((t) => t.type).sort()).toEqual(['job.down', 'job.late', 'job.up', 'run.slow']);
    const up = types.find((t) => t.type === 'job.up')!;
    expect(up.data.job).toMatchObject({ id: job.id, health: 'up', previousHealth: 'down' });
  });

  it('a run over 3x its p95 (after 10 quick ones) is delivered as run.slow, signed, once', async () => {
    const job = await api.job('Slow delivered');
    const { secret } = await hook({ events: ['run.slow'], jobId: job.id });
    const finished = async (seconds: number) => {
      const run = await api.run(job.id, { status: 'RUNNING' });
      const startedAt = new Date(Date.parse(run.startedAt!) - seconds * 1000).toISOString();
      await api.patch(`/api/runs/${run.id}`, { startedAt });
      const res = await api.patch(`/api/runs/${run.id}`, {
        status: 'SUCCESS',
        finishedAt: run.startedAt,
      });
      expect(res.status, res.text).toBe(200);
      return res.body as { id: number; slow: boolean };
    };
    for (let i = 0; i < 10; i++) expect((await finished(1)).slow).toBe(false);
    const slow = await finished(10);
    expect(slow.slow).toBe(true);
    await dispatchUntil(() => receiver.received.length >= 1);
    await dispatcher().dispatch();
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    const event = new StandardWebhook(secret).verify(
      got!.body,
      got!.headers as Record<string, string>,
    ) as { type: string; data: { run: { id: number; slow: boolean; durationMs: number } } };
    expect(event.type).toBe('run.slow');
    expect(event.data.run).toMatchObject({ id: slow.id, slow: true, durationMs: 10_000 });
  });

  it('POST /test delivers a webhook.test event at once and shows the attempt', async () => {
    const { id, secret } = await hook({ events: ['run.failed'] });
    const res = await api.post(`/api/webhooks/${id}/test`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ eventType: 'webhook.test', status: 'succeeded', attempts: 1 });
    expect(res.body.log[0].responseStatus).toBe(200);
    const [got] = await receiver.waitFor(1);
    expect(
      (
        new StandardWebhook(secret).verify(got!.body, got!.headers as Record<string, string>) as {
          type: string;
        }
      ).type,
    ).toBe('webhook.test');
    expect(got!.headers['webhook-id']).toBe(res.body.eventId);
  });

  it('does not follow redirects: a 302 is a failed attempt', async () => {
    const { id } = await hook({ events: ['run.failed'] });
    receiver.answers.push(302);
    const res = await api.post(`/api/webhooks/${id}/test`);
    expect(res.body.status).toBe('pending');
    expect(res.body.log[0]).toMatchObject({ responseStatus: 302, error: 'redirect not followed' });
  });

  it('refuses loopback by default: at creation (400), and at delivery when the settings forbid it', async () => {
    // The configuration's defaults (WEBHOOK_ALLOW_PRIVATE=false), as a user gets them.
    const strict = client(requestTarget(appOver(database, logger)));
    for (const url of [
      receiver.url,
      'http://localhost:9/x',
      'http://[::1]/x',
      'http://169.254.169.254/latest',
      'http://10.0.0.1/',
    ]) {
      const res = await strict.post('/api/webhooks', { url, events: ['run.failed'] });
      expect(res.status, url).toBe(400);
      expect(res.body.errors[0].path).toBe('url');
    }
    expect(
      (await strict.post('/api/webhooks', { url: 'ftp://example.com/', events: ['run.failed'] }))
        .status,
    ).toBe(400);
    // Created while allowed, delivered by a dispatcher that does not allow it: refused, not sent.
    await hook({ events: ['run.failed'] });
    const job = await api.job('Refused');
    const run = await api.run(job.id, { status: 'RUNNING' });
    await api.patch(`/api/runs/${run.id}`, { status: 'FAILED' });
    await dispatcher({ ...FAST_WEBHOOKS, allowPrivate: false }).dispatch();
    expect(receiver.received).toHaveLength(0);
    const [delivery] = (await api.get(`/api/webhooks/${createdHooks.at(-1)}/deliveries`)).body.data;
    expect(delivery.log[0].error).toMatch(/loopback, private/);
  });

  it('checks names after resolving them (node:dns): this host resolves to a refused address', async () => {
    expect(await urlProblem(`http://${hostname()}/hook`, false, nodeWebhookResolver)).toMatch(
      /resolves to .*loopback, private/,
    );
    expect(await urlProblem(`http://${hostname()}/hook`, true, nodeWebhookResolver)).toBeNull();
  });

  it('two dispatchers over one file never claim the same delivery (compare-and-set lease)', async () => {
    const { id } = await hook({ events: ['run.created'] });
    const job = await api.job('Leases');
    for (let i = 0; i < 10; i++) await api.run(job.id);
    const other = openBetterSqlite(file);
    try {
      const now = new Date(Date.now() + 1000);
      const until = new Date(now.getTime() + 60_000);
      // One after the other: in one thread a second connection would wait on the first's open
      // group commit. SQLite runs each claim whole under the write lock, so B sees A's leases.
      const a = await stores.webhooks.claimDue(now, until, 'a', 6);
      const b = await drizzleStores(other).webhooks.claimDue(now, until, 'b', 100);
      expect(a).toHaveLength(6);
      expect(b).toHaveLength(4);
      const ids = [...a, ...b].map((d) => d.id);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
      // Leased: nobody claims them again until the lease runs out.
      expect(await stores.webhooks.claimDue(now, until, 'c', 100)).toHaveLength(0);
      expect(
        await stores.webhooks.claimDue(new Date(until.getTime() + 1), until, 'd', 100),
      ).toHaveLength(10);
    } finally {
      await other.close();
    }
    expect((await api.get(`/api/webhooks/${id}/deliveries`)).body.data).toHaveLength(10);
  });
});
