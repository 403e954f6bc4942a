import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator, type Schema } from '@cfworker/json-schema';
import { sql } from 'drizzle-orm';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../../db/better-sqlite3.js';
import pkg from '../../../package.json' with { type: 'json' };
import { drizzleStores } from '../../../db/stores.js';
import { createJsonLogger } from '../../../shared/logger.js';
import { HealthRecorder } from '../../../shared/services/index.js';
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from '../../../shared/webhooks/model.js';
import { appOver, requestTarget } from '../../../test/support/apps.js';
import { client } from '../../../test/support/client.js';
import { testRuntime } from '../../../test/support/runtime.js';
import {
  FAST_WEBHOOKS,
  startReceiver,
  type WebhookReceiver,
} from '../../../test/support/webhook-receiver.js';
import { WEBHOOK_PAYLOAD_SCHEMAS } from './payloads.js';

const logger = createJsonLogger({ silent: true });

interface Operation {
  parameters: Array<{ name: string; in: string; required?: boolean }>;
  requestBody: { content: { 'application/json': { schema: Schema } } };
}
interface Document {
  webhooks: Record<string, { post: Operation }>;
  components: { schemas: Record<string, Schema> };
}

/**
 * The OpenAPI `webhooks` section against what the dispatcher really sends: every event type is
 * caused the way the API causes it (runs, pings, the health recorder, the test endpoint; run.slow
 * by setting the flag directly, which is the change its trigger reacts to: the rule that sets it
 * is tested in functions/http/runs/slow-runs.api.test.ts and webhooks.better-sqlite3.test.ts),
 * delivered to a receiver on loopback, and each
 * body must match its documented JSON schema as served (and carry no undocumented field), with
 * the documented headers and a signature the standardwebhooks package accepts.
 */
describe('the documented webhook payloads are what receivers get', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-payloads-'));
  const database = openBetterSqlite(join(dir, 'payloads.db'));
  const stores = drizzleStores(database);
  const api = client(requestTarget(appOver(database, logger, { webhookSettings: FAST_WEBHOOKS })));
  let receiver: WebhookReceiver;
  let doc: Document;

  beforeAll(async () => {
    receiver = await startReceiver();
    doc = (await api.get('/api/openapi.json')).body as Document;
  });
  afterAll(async () => {
    await receiver.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('documents one POST per event type, the test event included', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual(
      [...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE].sort(),
    );
    for (const [type, { post }] of Object.entries(doc.webhooks)) {
      const headers = post.parameters.filter((p) => p.in === 'header' && p.required);
      expect(headers.map((p) => p.name).sort(), type).toEqual(
        ['user-agent', 'webhook-id', 'webhook-signature', 'webhook-timestamp'].sort(),
      );
    }
  });

  it('delivers every event type with a body that matches its documented schema', async () => {
    const subscribe = async (body: Record<string, unknown>) => {
      const res = await api.post('/api/webhooks', { url: receiver.url, ...body });
      expect(res.status, res.text).toBe(201);
      return res.body as { id: number; secret: string };
    };
    const runHook = await subscribe({ events: WEBHOOK_EVENT_TYPES.filter((t) => t[0] === 'r') });
    // A schedule to be late for, created three hours ago (the app's clock), so that its late and
    // down are recorded in the past and due at once; health events of this job only.
    const past = new Date(Date.now() - 3 * 3600_000);
    const earlier = client(
      requestTarget(appOver(database, logger, { webhookSettings: FAST_WEBHOOKS, now: () => past })),
    );
    const watched = await earlier.job('Hourly', { schedule: 'every 1h', graceSeconds: 60 });
    const healthHook = await subscribe({
      events: ['job.late', 'job.down', 'job.up'],
      jobId: watched.id,
    });
    const secrets = new Map([
      [runHook.id, runHook.secret],
      [healthHook.id, healthHook.secret],
    ]);

    // Runs through the API: every transition, with and without a start, exit code and error.
    const job = await api.job('Payloads', { key: 'payloads' });
    const ok = await api.run(job.id, { status: 'RUNNING' });
    await api.patch(`/api/runs/${ok.id}`, { status: 'SUCCESS', exitCode: 0 });
    const bad = await api.run(job.id, { status: 'RUNNING' });
    await api.patch(`/api/runs/${bad.id}`, {
      status: 'FAILED',
      exitCode: 3,
      errorMessage: 'disk full',
    });
    const pending = await api.run(job.id);
    await api.patch(`/api/runs/${pending.id}`, { status: 'CANCELLED' });
    // Pings without a start: a run started and finished by one request (success, exit status 1).
    const pingUrl = (await api.get(`/api/jobs/${job.id}`)).body.pingUrl as string;
    expect((await api.get(pingUrl)).status).toBe(200);
    expect((await api.get(`${pingUrl}/1`)).status).toBe(200);
    await database.writes.run(() =>
      database.writes.db.run(sql`UPDATE job_runs SET slow = 1 WHERE id = ${ok.id}`),
    );

    // The health recorder (the sweep tick's) at later times: late, then down; a run, then up.
    const recorder = new HealthRecorder(stores.jobs, logger);
    const expected = Date.parse((watched as unknown as { nextExpectedAt: string }).nextExpectedAt);
    await recorder.record(new Date(expected + 61_000));
    await recorder.record(new Date(expected + 121_000));
    const recovery = await api.run(watched.id, { status: 'RUNNING' });
    await api.patch(`/api/runs/${recovery.id}`, { status: 'SUCCESS' });
    await recorder.record(new Date());
    expect((await api.get(`/api/jobs/${watched.id}`)).body.health).toBe('up');

    expect((await api.post(`/api/webhooks/${runHook.id}/test`)).body.status).toBe('succeeded');

    const { dispatcher } = testRuntime(database, logger, { webhookSettings: FAST_WEBHOOKS });
    const all = [...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE];
    const seen = () => new Set(receiver.received.map((r) => JSON.parse(r.body).type));
    const deadline = Date.now() + 15_000;
    while (seen().size < all.length && Date.now() < deadline) {
      await dispatcher.dispatch();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect([...seen()].sort()).toEqual([...all].sort());

    const validators = new Map(
      Object.entries(doc.webhooks).map(([type, { post }]) => [
        type,
        new Validator(
          {
            ...post.requestBody.content['application/json'].schema,
            components: doc.components,
          } as Schema,
          '2020-12',
          false,
        ),
      ]),
    );
    for (const { headers, body } of receiver.received) {
      const payload = JSON.parse(body) as { type: string };
      const where = `${payload.type}: ${body}`;
      const result = validators.get(payload.type)!.validate(payload);
      expect(result.errors, where).toEqual([]);
      // Nothing undocumented: the zod schema the document is built from drops unknown fields.
      expect(WEBHOOK_PAYLOAD_SCHEMAS[payload.type]!.parse(payload), where).toEqual(payload);
      expect(headers['user-agent']).toBe(`ChronoTrack-Webhooks/1 ChronoTrack/${pkg.version}`);
      const hookId = payload.type.startsWith('job.') ? healthHook.id : runHook.id;
      expect(
        new StandardWebhook(secrets.get(hookId)!).verify(body, headers as Record<string, string>),
      ).toEqual(payload);
    }
    // The schema is strict enough to fail: a wrong status for the event is refused.
    const succeeded = receiver.received
      .map((r) => JSON.parse(r.body))
      .find((p) => p.type === 'run.succeeded');
    succeeded.data.run.status = 'FAILED';
    expect(validators.get('run.succeeded')!.validate(succeeded).valid).toBe(false);
  });
});
