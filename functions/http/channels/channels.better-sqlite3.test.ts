import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../../db/better-sqlite3.js';
import { createJsonLogger } from '../../../shared/logger.js';
import type { WebhookSettings } from '../../../shared/webhooks/dispatcher.js';
import { requestTarget } from '../../../test/support/apps.js';
import { shapeProblem } from '../../../test/support/channel-shapes.js';
import { client } from '../../../test/support/client.js';
import { testRuntime } from '../../../test/support/runtime.js';
import {
  FAST_WEBHOOKS,
  startReceiver,
  type ReceivedHook,
  type WebhookReceiver,
} from '../../../test/support/webhook-receiver.js';

/**
 * Notification channels on better-sqlite3, delivered over real HTTP to a receiver on loopback
 * that refuses (400) what the real service would (test/support/channel-shapes.ts): each type's
 * message, PagerDuty's incident opening and resolving, the noise control, the test send, the
 * retries and disabling, and no secret in any log line.
 */
describe('channels on better-sqlite3 against receivers on loopback', () => {
  const database = openBetterSqlite(':memory:');
  const lines: string[] = [];
  const logger = createJsonLogger({ write: (line) => lines.push(line) });
  let receiver: WebhookReceiver;
  let base: string;
  const runtime = (settings: WebhookSettings = FAST_WEBHOOKS, notifyMinIntervalSeconds = 300) =>
    testRuntime(database, logger, { webhookSettings: settings, notifyMinIntervalSeconds });
  const api = client(requestTarget(runtime().app));
  const created: number[] = [];

  beforeAll(async () => {
    // Each request's path names its type: /slack/..., /pagerduty/...
    receiver = await startReceiver({
      check: (hook) => shapeProblem(hook.path.split('/')[1]!, hook),
    });
    base = receiver.url.replace(/\/hook$/, '');
  });
  afterEach(async () => {
    for (const id of created.splice(0)) await api.delete(`/api/channels/${id}`);
    receiver.received.length = 0;
    receiver.answers.length = 0;
  });
  afterAll(async () => {
    await receiver.close();
    await database.close();
  });

  const CONFIGS = {
    slack: (path: string) => ({ webhookUrl: `${base}/slack/${path}/T0/B0/secretslack1` }),
    discord: (path: string) => ({
      webhookUrl: `${base}/discord/${path}/api/webhooks/1/secretdisc2`,
    }),
    teams: (path: string) => ({ webhookUrl: `${base}/teams/${path}/workflows/secretteams3` }),
    ntfy: (path: string) => ({ url: `${base}/ntfy/${path}`, token: 'tk_secretntfy4' }),
    pagerduty: (path: string) => ({
      routingKey: 'R015ECRETR0UT1NGKEY0000000000005',
      url: `${base}/pagerduty/${path}`,
    }),
  };
  type Type = keyof typeof CONFIGS;

  async function channel(type: Type, path: string, extra: Record<string, unknown> = {}) {
    const res = await api.post('/api/channels', {
      name: `${type} ${path}`,
      type,
      config: CONFIGS[type](path),
      events:
        type === 'pagerduty'
          ? ['run.failed', 'job.down', 'job.up']
          : ['run.failed', 'job.late', 'job.down', 'job.up'],
      ...extra,
    });
    expect(res.status, res.text).toBe(201);
    created.push(res.body.id);
    return res.body as { id: number };
  }

  async function dispatchUntil(done: () => boolean, settings = FAST_WEBHOOKS, interval = 300) {
    const deadline = Date.now() + 15_000;
    const dispatcher = runtime(settings, interval).dispatcher;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('dispatch did not get there in time');
      await dispatcher.dispatch();
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const to = (path: string) => receiver.received.filter((hook) => hook.path.includes(`/${path}`));
  const json = (hook: ReceivedHook) => JSON.parse(hook.body);

  async function failingJob(name: string) {
    const project = (await api.post('/api/projects', { name: `${name} project` })).body;
    const job = await api.job(name, {
      projectId: project.id,
      key: name.toLowerCase().replaceAll(' ', '-'),
    });
    return { job, project };
  }

  async function fail(jobId: number, errorMessage = 'disk full') {
    const run = await api.run(jobId, { status: 'RUNNING' });
    await api.patch(`/api/runs/${run.id}`, {
      status: 'FAILED',
      exitCode: 3,
      errorMessage,
      output:
        'starting backup\ncopying /var/lib\nline 3\nline 4\nline 5\nwrite error: No space left on device\n',
    });
    return run;
  }

  const setHealth = (jobId: number, health: string, at: number) =>
    database.db.run(
      sql`UPDATE jobs SET health = ${health}, health_changed_at = ${at} WHERE id = ${jobId}`,
    );

  it.each(['slack', 'discord', 'teams', 'ntfy', 'pagerduty'] as const)(
    '%s: a failed run becomes a message in the shape the service documents, naming the job, project, error and output',
    async (type) => {
      const { job } = await failingJob(`Nightly backup ${type}`);
      const { id } = await channel(type, 'failed', { jobIds: [job.id] });
      await fail(job.id);
      await dispatchUntil(() => to(`${type}/failed`).length >= 1);
      const [hook] = to(`${type}/failed`);
      // The receiver accepted it: the delivery succeeded with its answer logged.
      const deliveries = (await api.get(`/api/channels/${id}/deliveries`)).body.data;
      expect(deliveries[0]).toMatchObject({ eventType: 'run.failed', status: 'succeeded' });
      expect(deliveries[0].log[0]).toMatchObject({ responseStatus: 200, responseExcerpt: 'ok' });
      const text = hook!.body + JSON.stringify(hook!.headers);
      for (const fact of [
        `Nightly backup ${type}`,
        `Nightly backup ${type} project`,
        'disk full',
        'No space left on device',
      ])
        expect(text).toContain(fact);
      expect(text).toMatch(/Exit code/);
      expect(text).not.toContain('starting backup'); // only the last 5 lines
      if (type === 'slack') {
        const body = json(hook!);
        expect(body.text).toContain(`FAILED: Nightly backup ${type}`);
        expect(body.blocks[0]).toMatchObject({ type: 'header' });
      }
      if (type === 'discord') expect(json(hook!).embeds[0].color).toBe(0xd92d20);
      if (type === 'teams') expect(json(hook!).attachments[0].content.type).toBe('AdaptiveCard');
      if (type === 'ntfy') {
        expect(hook!.headers).toMatchObject({
          title: `FAILED: Nightly backup ntfy (Nightly backup ntfy project)`,
          priority: '5',
          tags: 'rotating_light,chronotrack',
          authorization: 'Bearer tk_secretntfy4',
        });
        expect(hook!.body).toContain('Exit code: 3');
      }
      if (type === 'pagerduty')
        expect(json(hook!)).toMatchObject({
          routing_key: 'R015ECRETR0UT1NGKEY0000000000005',
          event_action: 'trigger',
          dedup_key: `chronotrack-job-${job.id}`,
          payload: { severity: 'error', source: `chronotrack/nightly-backup-pagerduty` },
        });
    },
  );

  it('pagerduty: one incident per job opens on job.down and resolves on job.up; the up message says how long', async () => {
    const { job } = await failingJob('Hourly sync');
    await channel('pagerduty', 'health', { jobIds: [job.id] });
    await channel('slack', 'health', { jobIds: [job.id] });
    const t0 = Date.now() - 4 * 3600_000;
    await setHealth(job.id, 'late', t0);
    await setHealth(job.id, 'down', t0 + 600_000);
    await setHealth(job.id, 'up', t0 + 3 * 3600_000 + 300_000);
    await dispatchUntil(() => to('pagerduty/health').length >= 2 && to('slack/health').length >= 3);
    const events = to('pagerduty/health').map(json);
    expect(events.map((e) => e.event_action)).toEqual(['trigger', 'resolve']);
    expect(new Set(events.map((e) => e.dedup_key))).toEqual(new Set([`chronotrack-job-${job.id}`]));
    expect(events[0].payload).toMatchObject({
      severity: 'critical',
      summary: 'DOWN: Hourly sync (Hourly sync project)',
    });
    const slack = to('slack/health').map(json);
    expect(slack.map((m) => m.text)).toEqual([
      ':large_yellow_circle: LATE: Hourly sync (Hourly sync project)',
      ':red_circle: DOWN: Hourly sync (Hourly sync project)',
      ':large_green_circle: UP: Hourly sync (Hourly sync project)',
    ]);
    // Down since it went late: 3 h 5 min.
    expect(JSON.stringify(slack[2])).toContain('3 h 5 min');
    expect(JSON.stringify(slack[0])).toContain('Last success');
  });

  it('pagerduty: a resolve never overtakes its trigger while the trigger is being retried', async () => {
    const { job } = await failingJob('Ordered job');
    await channel('pagerduty', 'ordered', { jobIds: [job.id] });
    receiver.answers.push(503); // the trigger's first attempt fails
    const now = Date.now();
    await setHealth(job.id, 'down', now - 1000);
    await setHealth(job.id, 'up', now - 500);
    await dispatchUntil(() => to('pagerduty/ordered').length >= 3);
    expect(to('pagerduty/ordered').map((hook) => json(hook).event_action)).toEqual([
      'trigger',
      'trigger',
      'resolve',
    ]);
  });

  it('holds back run.failed within NOTIFY_MIN_INTERVAL_SECONDS per channel and job, and counts them in the next message', async () => {
    const { job } = await failingJob('Flaky minutely');
    const { id } = await channel('slack', 'noise', { jobIds: [job.id] });
    for (let i = 0; i < 3; i++) await fail(job.id, `failure ${i}`);
    await dispatchUntil(() => to('slack/noise').length >= 1, FAST_WEBHOOKS, 1);
    const log = async () => (await api.get(`/api/channels/${id}/deliveries`)).body.data;
    await dispatchUntil(() => true, FAST_WEBHOOKS, 1);
    expect((await log()).map((d: { status: string }) => d.status)).toEqual([
      'held',
      'held',
      'succeeded',
    ]);
    expect(to('slack/noise')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1100)); // past the 1 s interval
    await fail(job.id, 'failure 3');
    await dispatchUntil(() => to('slack/noise').length >= 2, FAST_WEBHOOKS, 1);
    expect(JSON.stringify(json(to('slack/noise')[1]!))).toMatch(/and 2 more failures since \d{4}-/);
    // Health changes are never held.
    await setHealth(job.id, 'down', Date.now());
    await dispatchUntil(() => to('slack/noise').length >= 3, FAST_WEBHOOKS, 1);
  });

  it('POST /test sends at once and answers with what the receiver said; failures are retried, then the channel is disabled with its last error', async () => {
    const { id } = await channel('discord', 'test');
    const ok = await api.post(`/api/channels/${id}/test`);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ eventType: 'webhook.test', status: 'succeeded', attempts: 1 });
    expect(ok.body.log[0]).toMatchObject({
      responseStatus: 200,
      responseExcerpt: 'ok',
      error: null,
    });
    expect(json(to('discord/test')[0]!).content).toBe('ChronoTrack test notification');

    const settings = { ...FAST_WEBHOOKS, retryForSeconds: 1, retryBaseSeconds: 0.1 };
    const failing = await channel('slack', 'down-receiver');
    receiver.answers.push(...Array<number>(50).fill(503));
    const first = await client(requestTarget(runtime(settings).app)).post(
      `/api/channels/${failing.id}/test`,
    );
    expect(first.body).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first.body.log[0]).toMatchObject({ responseStatus: 503, error: 'HTTP 503' });
    let disabledReason: string | null = null;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      await runtime(settings).dispatcher.dispatch();
      disabledReason = (await api.get(`/api/channels/${failing.id}`)).body.disabledReason;
      if (disabledReason) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(disabledReason).toMatch(
      /could not be delivered in \d+ attempts over 1 s; last: HTTP 503/,
    );
    expect((await api.get(`/api/channels/${failing.id}`)).body.enabled).toBe(false);
    receiver.answers.length = 0;
  });

  it('never writes a secret into a log line', async () => {
    await channel('ntfy', 'logs');
    await channel('pagerduty', 'logs');
    const logged = lines.join('\n');
    expect(logged).toContain('channel created');
    for (const secret of [
      'secretslack1',
      'secretdisc2',
      'secretteams3',
      'tk_secretntfy4',
      'R015ECRETR0UT1NGKEY',
    ])
      expect(logged).not.toContain(secret);
  });
});
