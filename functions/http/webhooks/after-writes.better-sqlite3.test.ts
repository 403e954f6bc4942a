import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../../db/better-sqlite3.js';
import { createJsonLogger } from '../../../shared/logger.js';
import type { WebhookSettings } from '../../../shared/webhooks/dispatcher.js';
import { requestTarget } from '../../../test/support/apps.js';
import { client } from '../../../test/support/client.js';
import { testRuntime } from '../../../test/support/runtime.js';
import { startReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.js';

const logger = createJsonLogger({ silent: true });
const FAST: WebhookSettings = {
  allowPrivate: true,
  retryBaseSeconds: 60, // no retry inside a test: only the pass after the write can deliver
  retryForSeconds: 3600,
  timeoutSeconds: 2,
};

/**
 * The pass after a write (functions/http/middleware/after-writes.ts) over a real file and a
 * real loopback receiver: nothing here calls the dispatcher, and no interval runs it.
 */
describe('webhooks dispatched right after the write that queued them (better-sqlite3)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-after-writes-'));
  const database = openBetterSqlite(join(dir, 'hooks.db'));
  const runtime = testRuntime(database, logger, {
    webhookSettings: FAST,
    dispatchAfterWrites: true,
  });
  const { stores, app } = runtime;
  const trigger = runtime.trigger!;
  /** Each request the trigger was asked about: `METHOD path` of the requests that wrote. */
  const kicks: string[] = [];
  let current = '';
  const kick = trigger.kick.bind(trigger);
  trigger.kick = () => {
    kicks.push(current);
    return kick();
  };
  const api = client({
    fetch: (path, init) => {
      current = `${init?.method ?? 'GET'} ${path}`;
      return requestTarget(app).fetch(path, init);
    },
  });
  let receiver: WebhookReceiver;
  const jobWithPing = async (name: string) =>
    (await api.job(name)) as Awaited<ReturnType<typeof api.job>> & { pingUuid: string };

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await trigger.idle();
    await receiver.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers run.created after POST run and run.succeeded after a ping, signed', async () => {
    const created = await api.post('/api/webhooks', {
      url: receiver.url,
      events: ['run.created', 'run.succeeded'],
    });
    expect(created.status).toBe(201);
    const job = await jobWithPing('Delivered after the write');
    const run = await api.run(job.id);
    const [first] = await receiver.waitFor(1, 5000);
    const verifier = new StandardWebhook(created.body.secret);
    const event = verifier.verify(first!.body, first!.headers as Record<string, string>) as {
      type: string;
      data: { run: { id: number } };
    };
    expect(event).toMatchObject({ type: 'run.created', data: { run: { id: run.id } } });

    const ping = await api.get(`/ping/${job.pingUuid}`);
    expect(ping.status).toBe(200);
    // A ping without a start records a run that is created and finished: two events.
    const received = await receiver.waitFor(3, 5000);
    const types = received
      .slice(1)
      .map(({ body, headers }) => verifier.verify(body, headers as Record<string, string>))
      .map((payload) => (payload as { type: string }).type);
    expect(types.sort()).toEqual(['run.created', 'run.succeeded']);
    const log = (await api.get(`/api/webhooks/${created.body.id}/deliveries`)).body.data;
    expect(log.map((d: { status: string }) => d.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
  });

  it('asks for a pass after answered writes and pings only: not after reads or refused writes', async () => {
    const job = await jobWithPing('Kicks');
    kicks.length = 0;
    await api.get('/api/jobs');
    await api.get(`/api/jobs/${job.id}`);
    expect((await api.post(`/api/jobs/${job.id}/runs`, { status: 'NOPE' })).status).toBe(400);
    expect((await api.patch('/api/runs/999999', { status: 'SUCCESS' })).status).toBe(404);
    expect((await api.get('/ping/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect(kicks).toEqual([]);
    const run = await api.run(job.id, { status: 'RUNNING' });
    await api.patch(`/api/runs/${run.id}`, { status: 'SUCCESS' });
    await api.get(`/ping/${job.pingUuid}/start`);
    expect(kicks).toEqual([
      `POST /api/jobs/${job.id}/runs`,
      `PATCH /api/runs/${run.id}`,
      `GET /ping/${job.pingUuid}/start`,
    ]);
  });

  it('probes with one read on the reader connection, by the partial due index, no scan', async () => {
    await trigger.idle(); // the last test's passes have delivered what its writes queued
    // Captured at prepare time: exactly the SQL hasDue runs.
    const captured: string[] = [];
    const prepare = database.reader.prepare;
    database.reader.prepare = ((source: string) => {
      captured.push(source);
      return prepare.call(database.reader, source);
    }) as typeof prepare;
    try {
      expect(await stores.webhooks.hasDue(new Date())).toBe(false);
    } finally {
      database.reader.prepare = prepare;
    }
    expect(captured).toHaveLength(1);
    const nulls = Array<null>(captured[0]!.split('?').length - 1).fill(null);
    const plan = (
      database.reader.prepare(`EXPLAIN QUERY PLAN ${captured[0]}`).all(...nulls) as {
        detail: string;
      }[]
    ).map((row) => row.detail);
    expect(plan).toEqual([
      expect.stringMatching(
        /^SEARCH d USING INDEX webhook_deliveries_due_idx \(next_attempt_at<\?\)/,
      ),
      expect.stringMatching(/^SEARCH w USING INTEGER PRIMARY KEY \(rowid=\?\)/),
      // A channel's order (db/webhooks.ts IN_ORDER), run only for a channel's due delivery: its
      // older deliveries by the channel's index.
      'CORRELATED SCALAR SUBQUERY 1',
      expect.stringMatching(
        /^SEARCH p USING INDEX webhook_deliveries_webhook_idx \(webhook_id=\? AND id<\?\)/,
      ),
    ]);
  });
});
