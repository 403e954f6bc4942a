import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_TYPES } from '../../shared/channels/model.js';
import { shapeProblem } from '../../test/support/channel-shapes.js';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../test/support/smtp-receiver.js';
import { startReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';
import { startWranglerDev, type WranglerDev } from '../../test/support/wrangler-dev.js';

/**
 * Every channel type from the Worker under `wrangler dev` (workerd, a local D1): the chat and
 * paging messages over fetch to a receiver on loopback that refuses (400) what the real service
 * would (test/support/channel-shapes.ts), and email through the Workers SMTP client over
 * workerd's TCP sockets (`cloudflare:sockets`) to an SMTP server on loopback, read back with
 * mailparser. A failed run reaches all six; the Cron Trigger (/__scheduled) records the job down
 * and up again, which opens and resolves one PagerDuty incident.
 */
describe('every channel type under wrangler dev', () => {
  const PUBLIC_URL = 'https://chronotrack.example.com';
  const state = mkdtempSync(join(tmpdir(), 'chronotrack-wrangler-channels-'));
  const auth = { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' };
  let receiver: WebhookReceiver;
  let smtp: SmtpReceiver;
  let worker: WranglerDev;

  beforeAll(async () => {
    // Each request's path names its type: /slack/..., /pagerduty/...
    receiver = await startReceiver({
      check: (hook) => shapeProblem(hook.path.split('/')[1]!, hook),
    });
    smtp = await startSmtpReceiver();
    worker = await startWranglerDev({
      persistTo: state,
      vars: {
        ADMIN_API_KEY: TEST_ADMIN_KEY,
        WEBHOOK_ALLOW_PRIVATE: 'true',
        // As `wrangler secret put SMTP_URL` would give it; the server is on loopback, no TLS.
        SMTP_URL: smtp.url,
        SMTP_FROM: 'ChronoTrack <chronotrack@example.com>',
        PUBLIC_URL,
      },
      args: ['--test-scheduled'],
    });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
    await smtp?.close();
    rmSync(state, { recursive: true, force: true });
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${worker.baseUrl}${path}`, {
      method,
      headers: auth,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : {} };
  }

  /**
   * Runs the Cron Trigger twice: a health pass, then the deliveries it queued (an invocation's
   * delivery pass starts beside its health pass, so what that records goes out on the next).
   */
  async function tick() {
    for (const _ of [1, 2]) {
      const response = await fetch(`${worker.baseUrl}/__scheduled?cron=*+*+*+*+*`);
      expect(await response.text()).toBe('Ran scheduled event');
    }
  }

  async function until(done: () => boolean, what: string) {
    const deadline = Date.now() + 20_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`${what} did not arrive:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const at = (type: string) =>
    receiver.received.filter((hook) => hook.path.startsWith(`/${type}/`));

  it('delivers a failed run to email, Slack, Discord, Teams, ntfy and PagerDuty; PagerDuty resolves on up', async () => {
    const base = new URL(receiver.url).origin;
    const CONFIGS = {
      slack: { webhookUrl: `${base}/slack/T0/B0/secretslack1` },
      discord: { webhookUrl: `${base}/discord/api/webhooks/1/secretdisc2` },
      teams: { webhookUrl: `${base}/teams/workflows/secretteams3` },
      ntfy: { url: `${base}/ntfy/ops`, token: 'tk_secretntfy4' },
      pagerduty: {
        routingKey: 'R0WORKERDEV00000000000000000001',
        url: `${base}/pagerduty/enqueue`,
      },
      email: { to: ['ops@example.com', 'oncall@example.com'] },
    };
    expect(Object.keys(CONFIGS).sort()).toEqual([...CHANNEL_TYPES].sort());

    const project = await call('POST', '/api/projects', { name: 'Ops' });
    const job = await call('POST', '/api/jobs', {
      name: 'Nightly backup',
      key: 'nightly-backup',
      projectId: project.body.id,
    });
    expect(job.status, job.text).toBe(201);
    const channels: Record<string, number> = {};
    for (const [type, config] of Object.entries(CONFIGS)) {
      const created = await call('POST', '/api/channels', {
        name: `${type} on workerd`,
        type,
        config,
        events: ['run.failed', 'job.down', 'job.up'],
        jobIds: [job.body.id],
      });
      expect(created.status, created.text).toBe(201);
      channels[type] = created.body.id;
    }

    // A failed run: each channel's message goes out in waitUntil right after the write.
    const run = await call('POST', `/api/jobs/${job.body.id}/runs`, { status: 'RUNNING' });
    const failed = await call('PATCH', `/api/runs/${run.body.id}`, {
      status: 'FAILED',
      exitCode: 3,
      errorMessage: 'disk full',
      output: 'starting\nwrite error: No space left on device\n',
    });
    expect(failed.status, failed.text).toBe(200);
    const chat = ['slack', 'discord', 'teams', 'ntfy', 'pagerduty'];
    await until(
      () => chat.every((type) => at(type).length >= 1) && smtp.received.length >= 1,
      'the run.failed messages',
    );
    for (const type of chat) {
      const [hook] = at(type);
      expect(shapeProblem(type, hook!), type).toBeNull();
      const text = hook!.body + JSON.stringify(hook!.headers);
      for (const fact of ['Nightly backup', 'Ops', 'disk full', 'No space left on device'])
        expect(text, type).toContain(fact);
      // PUBLIC_URL (a --var) made the links absolute.
      expect(text, type).toContain(`${PUBLIC_URL}/runs/${run.body.id}`);
    }

    const [mail] = smtp.received;
    expect(mail!.user).toBe('chronotrack');
    expect(mail!.mailFrom).toBe('chronotrack@example.com');
    expect(mail!.rcptTo).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(mail!.parsed.from?.value).toEqual([
      { name: 'ChronoTrack', address: 'chronotrack@example.com' },
    ]);
    expect(mail!.parsed.subject).toBe('[ChronoTrack] FAILED: Nightly backup (Ops)');
    expect(mail!.parsed.text).toContain('Error: disk full');
    expect(mail!.parsed.text).toContain(`Run page: ${PUBLIC_URL}/runs/${run.body.id}`);
    const html = String(mail!.parsed.html);
    expect(html).toContain('No space left on device');
    expect(html).toContain(`<a href="${PUBLIC_URL}/runs/${run.body.id}">Run in ChronoTrack</a>`);
    expect(html).toContain(`<a href="${PUBLIC_URL}/jobs/${job.body.id}">Job in ChronoTrack</a>`);
    for (const [type, id] of Object.entries(channels)) {
      const deliveries = await call('GET', `/api/channels/${id}/deliveries`);
      expect(deliveries.body.data[0], type).toMatchObject({
        eventType: 'run.failed',
        status: 'succeeded',
      });
    }
    const emailDelivery = (await call('GET', `/api/channels/${channels.email}/deliveries`)).body;
    expect(emailDelivery.data[0].log[0].responseExcerpt).toMatch(/^250 /);

    // The Cron Trigger records the job down (its last run failed), then up after a success.
    await tick();
    await until(() => at('pagerduty').length >= 2, 'job.down');
    const next = await call('POST', `/api/jobs/${job.body.id}/runs`, { status: 'RUNNING' });
    const ok = await call('PATCH', `/api/runs/${next.body.id}`, { status: 'SUCCESS' });
    expect(ok.status, ok.text).toBe(200);
    await tick();
    await until(() => at('pagerduty').length >= 3 && smtp.received.length >= 3, 'job.up');
    const incident = at('pagerduty').map((hook) => JSON.parse(hook.body));
    expect(incident.map((event) => event.event_action)).toEqual(['trigger', 'trigger', 'resolve']);
    expect(new Set(incident.map((event) => event.dedup_key))).toEqual(
      new Set([`chronotrack-job-${job.body.id}`]),
    );
    expect(incident[1].payload).toMatchObject({ severity: 'critical' });
    expect(smtp.received.map((m) => m.parsed.subject)).toEqual([
      '[ChronoTrack] FAILED: Nightly backup (Ops)',
      '[ChronoTrack] DOWN: Nightly backup (Ops)',
      '[ChronoTrack] UP: Nightly backup (Ops)',
    ]);
  }, 120_000);

  it("answers POST /api/channels/{id}/test for email with the SMTP server's reply", async () => {
    const created = await call('POST', '/api/channels', {
      name: 'email test on workerd',
      type: 'email',
      config: { to: ['test@example.com'] },
      events: ['run.failed'],
    });
    expect(created.status, created.text).toBe(201);
    const test = await call('POST', `/api/channels/${created.body.id}/test`);
    expect(test.status, test.text).toBe(200);
    expect(test.body).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(test.body.log[0].responseExcerpt).toMatch(/^250 /);
    const tests = smtp.received.filter((mail) => mail.rcptTo.includes('test@example.com'));
    expect(tests.map((mail) => mail.parsed.subject)).toEqual([
      '[ChronoTrack] ChronoTrack test notification',
    ]);

    // A refusal is the attempt's error, with the server's code, and is retried.
    smtp.refuseNext(1);
    const refused = await call('POST', `/api/channels/${created.body.id}/test`);
    expect(refused.body).toMatchObject({ status: 'pending', attempts: 1 });
    expect(refused.body.log[0].error).toMatch(/451/);
  }, 60_000);
});
