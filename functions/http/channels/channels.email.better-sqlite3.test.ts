import type { AddressObject } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../../db/better-sqlite3.js';
import { createJsonLogger } from '../../../shared/logger.js';
import { requestTarget } from '../../../test/support/apps.js';
import { client } from '../../../test/support/client.js';
import { testRuntime } from '../../../test/support/runtime.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../../test/support/smtp-receiver.js';
import { FAST_WEBHOOKS } from '../../../test/support/webhook-receiver.js';
import { nodeMailer } from '../../runtime/node-mailer.js';

/**
 * Email channels on better-sqlite3, sent by Node's transport (functions/runtime/node-mailer.ts,
 * nodemailer) to a real SMTP server on loopback and read back with mailparser: a run.failed
 * through the API to the recipients' inbox with its subject, both parts and the dashboard links;
 * an SMTP refusal retried; the password in no log line and no response.
 */
describe('email channels on better-sqlite3 against an SMTP server on loopback', () => {
  const PASSWORD = 'sm7p-Secret!pass';
  const PUBLIC_URL = 'https://chronotrack.example.com';
  const database = openBetterSqlite(':memory:');
  const lines: string[] = [];
  const logger = createJsonLogger({ write: (line) => lines.push(line) });
  let smtp: SmtpReceiver;
  let runtime: ReturnType<typeof testRuntime>;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    smtp = await startSmtpReceiver('chronotrack', PASSWORD);
    runtime = testRuntime(database, logger, {
      webhookSettings: FAST_WEBHOOKS,
      publicUrl: PUBLIC_URL,
      mailer: nodeMailer({
        url: smtp.url,
        from: 'ChronoTrack <chronotrack@example.com>',
        timeoutSeconds: FAST_WEBHOOKS.timeoutSeconds,
      }),
    });
    api = client(requestTarget(runtime.app));
  });
  afterAll(async () => {
    await smtp.close();
    await database.close();
  });

  async function dispatchUntil(done: () => boolean) {
    const deadline = Date.now() + 15_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('dispatch did not get there in time');
      await runtime.dispatcher.dispatch();
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const addresses = (to: AddressObject | AddressObject[] | undefined) =>
    [to ?? []].flat().flatMap((group) => group.value.map((one) => one.address));

  it('delivers a failed run as an email: subject, text and HTML parts, links, recipients', async () => {
    const project = (await api.post('/api/projects', { name: 'Ops' })).body;
    const job = await api.job('Nightly <backup>', { projectId: project.id, key: 'nightly' });
    const created = await api.post('/api/channels', {
      name: 'Ops by email',
      type: 'email',
      config: { to: ['ops@example.com', 'oncall@example.com'] },
      events: ['run.failed', 'job.down', 'job.up'],
      jobIds: [job.id],
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.config).toEqual({ to: ['ops@example.com', 'oncall@example.com'] });
    // The job's ping URL is absolute with PUBLIC_URL.
    expect((await api.get(`/api/jobs/${job.id}`)).body.pingUrl).toMatch(
      /^https:\/\/chronotrack\.example\.com\/ping\/[0-9a-f-]{36}$/,
    );

    const run = await api.run(job.id, { status: 'RUNNING' });
    await api.patch(`/api/runs/${run.id}`, {
      status: 'FAILED',
      exitCode: 3,
      errorMessage: 'disk <full> & more',
      output: 'starting\nline 2\nline 3\nline 4\nline 5\nwrite error: No space left on device\n',
    });
    await dispatchUntil(() => smtp.received.length >= 1);

    const [mail] = smtp.received;
    const { parsed } = mail!;
    expect(mail!.user).toBe('chronotrack');
    expect(mail!.mailFrom).toBe('chronotrack@example.com');
    expect(mail!.rcptTo).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(addresses(parsed.to)).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(parsed.subject).toBe('[ChronoTrack] FAILED: Nightly <backup> (Ops)');

    const text = parsed.text ?? '';
    for (const fact of [
      'FAILED: Nightly <backup> (Ops)',
      'Job: Nightly <backup> (nightly)',
      'Project: Ops',
      'Exit code: 3',
      'Error: disk <full> & more',
      'write error: No space left on device',
      `Run page: ${PUBLIC_URL}/runs/${run.id}`,
      `Job page: ${PUBLIC_URL}/jobs/${job.id}`,
    ])
      expect(text).toContain(fact);
    expect(text).not.toContain('starting'); // the last 5 lines only

    const html = String(parsed.html);
    expect(html).toContain('Nightly &lt;backup&gt; (Ops)');
    expect(html).toContain('disk &lt;full&gt; &amp; more');
    expect(html).not.toContain('<backup>');
    expect(html).toContain(`<a href="${PUBLIC_URL}/runs/${run.id}">Run in ChronoTrack</a>`);
    expect(html).toContain(`<a href="${PUBLIC_URL}/jobs/${job.id}">Job in ChronoTrack</a>`);

    // The deliveries log holds the server's answer, as for any channel.
    const deliveries = (await api.get(`/api/channels/${created.body.id}/deliveries`)).body.data;
    expect(deliveries[0]).toMatchObject({ eventType: 'run.failed', status: 'succeeded' });
    expect(deliveries[0].log[0].responseExcerpt).toMatch(/^250 /);
  });

  it('retries a message the SMTP server refused, and sends a test message', async () => {
    const created = await api.post('/api/channels', {
      name: 'Retry',
      type: 'email',
      config: { to: ['retry@example.com'] },
      events: ['run.failed'],
    });
    expect(created.status, created.text).toBe(201);
    const before = smtp.received.length;
    smtp.refuseNext(1);
    const test = await api.post(`/api/channels/${created.body.id}/test`);
    expect(test.status, test.text).toBe(200);
    expect(test.body).toMatchObject({ status: 'pending', attempts: 1 });
    expect(test.body.log[0].error).toMatch(/451/);
    await dispatchUntil(() => smtp.received.length > before);
    const mail = smtp.received.at(-1)!;
    expect(mail.rcptTo).toEqual(['retry@example.com']);
    expect(mail.parsed.subject).toBe('[ChronoTrack] ChronoTrack test notification');
    expect(mail.parsed.text).toContain('this channel works');
  });

  it('never shows the SMTP password: not in a log line, a response or an attempt error', async () => {
    const wrong = testRuntime(database, logger, {
      webhookSettings: FAST_WEBHOOKS,
      mailer: nodeMailer({
        url: smtp.url.replace(encodeURIComponent(PASSWORD), encodeURIComponent(`${PASSWORD}x`)),
        from: 'chronotrack@example.com',
        timeoutSeconds: 2,
      }),
    });
    const wrongApi = client(requestTarget(wrong.app));
    const created = await wrongApi.post('/api/channels', {
      name: 'Wrong password',
      type: 'email',
      config: { to: ['ops@example.com'] },
      events: ['run.failed'],
    });
    const test = await wrongApi.post(`/api/channels/${created.body.id}/test`);
    expect(test.body.log[0].error).toMatch(/Invalid login|535/);
    const everything = [test.text, lines.join('\n')].join('\n');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(encodeURIComponent(PASSWORD));
    await wrongApi.delete(`/api/channels/${created.body.id}`);
  });

  it('answers 422 naming SMTP_URL and SMTP_FROM where no mail transport is configured', async () => {
    const bare = client(requestTarget(testRuntime(database, logger).app));
    const res = await bare.post('/api/channels', {
      name: 'No SMTP',
      type: 'email',
      config: { to: ['ops@example.com'] },
      events: ['run.failed'],
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body.code).toBe('MAIL_NOT_CONFIGURED');
    expect(res.body.detail).toMatch(/SMTP_URL/);
    expect(res.body.detail).toMatch(/SMTP_FROM/);
  });
});
