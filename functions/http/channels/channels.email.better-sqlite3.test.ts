import type { AddressObject } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../../db/better-sqlite3.js';
import type { Mailer } from '../../../shared/channels/mailer.js';
import {
  AccessConfigSchema,
  mailSettings,
  parseWith,
  type MailSettings,
} from '../../../shared/config.js';
import { createJsonLogger } from '../../../shared/logger.js';
import { requestTarget } from '../../../test/support/apps.js';
import { client } from '../../../test/support/client.js';
import { nodeSocketConnect } from '../../../test/support/node-socket.js';
import { testRuntime } from '../../../test/support/runtime.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../../test/support/smtp-receiver.js';
import { selfSignedCertificate } from '../../../test/support/tls-certificate.js';
import { FAST_WEBHOOKS } from '../../../test/support/webhook-receiver.js';
import { nodeMailer } from '../../runtime/node-mailer.js';
import { smtpMailer } from '../../runtime/smtp-client.js';

/** SMTP_URL and SMTP_FROM as the server parses them (shared/config.ts), with a test's timeout. */
const settingsFor = (url: string, from = 'ChronoTrack <chronotrack@example.com>'): MailSettings =>
  mailSettings(
    parseWith(AccessConfigSchema, {
      SMTP_URL: url,
      SMTP_FROM: from,
      WEBHOOK_TIMEOUT_SECONDS: String(FAST_WEBHOOKS.timeoutSeconds),
    }),
  )!;

/**
 * Both mail transports, each given the certificate authority a test's server is signed by:
 * Node's (nodemailer) and the Workers' SMTP client, here over node:net and node:tls
 * (test/support/node-socket.ts) instead of workerd's sockets (channels-worker-dev.e2e.test.ts
 * runs it on workerd).
 */
const TRANSPORTS: Record<string, (settings: MailSettings, ca?: string) => Mailer> = {
  nodemailer: (settings, ca) => nodeMailer({ ...settings, ...(ca && { tls: { ca } }) }),
  'the Workers SMTP client': (settings, ca) => smtpMailer(settings, nodeSocketConnect({ ca })),
};

/**
 * Email channels on better-sqlite3, sent by each transport to a real SMTP server on loopback and
 * read back with mailparser: a run.failed through the API to the recipients' inbox with its
 * subject, both parts and the dashboard links; an SMTP refusal retried; the password in no log
 * line and no response; STARTTLS used when offered, and required with `?requireTLS=true`.
 */
describe.each(Object.entries(TRANSPORTS))(
  'email channels through %s against an SMTP server on loopback',
  (_name, transport) => {
    const PASSWORD = 'sm7p-Secret!pass';
    const PUBLIC_URL = 'https://chronotrack.example.com';
    const database = openBetterSqlite(':memory:');
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line) });
    let smtp: SmtpReceiver;
    let runtime: ReturnType<typeof testRuntime>;
    let api: ReturnType<typeof client>;

    /** The API of a server sending through `mailer`. */
    const apiWith = (mailer: Mailer) =>
      client(
        requestTarget(
          testRuntime(database, logger, { webhookSettings: FAST_WEBHOOKS, mailer }).app,
        ),
      );

    beforeAll(async () => {
      smtp = await startSmtpReceiver({ pass: PASSWORD });
      runtime = testRuntime(database, logger, {
        webhookSettings: FAST_WEBHOOKS,
        publicUrl: PUBLIC_URL,
        mailer: transport(settingsFor(smtp.url)),
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
      expect(mail!.secure).toBe(false); // this server offers no STARTTLS
      expect(parsed.from?.value).toEqual([
        { name: 'ChronoTrack', address: 'chronotrack@example.com' },
      ]);
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
      const wrongApi = apiWith(
        transport(
          settingsFor(
            smtp.url.replace(encodeURIComponent(PASSWORD), encodeURIComponent(`${PASSWORD}x`)),
            'chronotrack@example.com',
          ),
        ),
      );
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

    /** An email channel on `mailer`'s server, and what its test message came to. */
    async function testMessage(mailer: Mailer) {
      const tlsApi = apiWith(mailer);
      const created = await tlsApi.post('/api/channels', {
        name: 'TLS',
        type: 'email',
        config: { to: ['tls@example.com'] },
        events: ['run.failed'],
      });
      expect(created.status, created.text).toBe(201);
      const test = await tlsApi.post(`/api/channels/${created.body.id}/test`);
      await tlsApi.delete(`/api/channels/${created.body.id}`);
      return test;
    }

    it('requireTLS=true: a server without STARTTLS gets no message, and the test message says why', async () => {
      const before = smtp.received.length;
      const test = await testMessage(transport(settingsFor(`${smtp.url}?requireTLS=true`)));
      expect(test.status, test.text).toBe(200);
      expect(test.body).toMatchObject({ status: 'pending', attempts: 1 });
      expect(test.body.log[0].error).toMatch(
        /^SMTP_URL requires TLS \(requireTLS=true\), but.*STARTTLS/,
      );
      expect(smtp.received.length).toBe(before);
    });

    describe('a server that offers STARTTLS', () => {
      const certificate = selfSignedCertificate();
      let tlsSmtp: SmtpReceiver;
      beforeAll(async () => {
        tlsSmtp = await startSmtpReceiver({ pass: PASSWORD, tls: certificate });
      });
      afterAll(async () => tlsSmtp.close());

      it.each(['', '?requireTLS=true'])(
        'SMTP_URL%s: the connection is upgraded before AUTH, and the mail arrives over TLS',
        async (query) => {
          const test = await testMessage(
            transport(settingsFor(`${tlsSmtp.url}${query}`), certificate.cert),
          );
          expect(test.body, test.text).toMatchObject({ status: 'succeeded' });
          expect(test.body.log[0].responseExcerpt).toMatch(/^250 /);
          expect(tlsSmtp.received.at(-1)).toMatchObject({ secure: true, user: 'chronotrack' });
        },
      );

      it('refuses a certificate it cannot verify, rather than sending in the clear', async () => {
        const before = tlsSmtp.received.length;
        const test = await testMessage(transport(settingsFor(tlsSmtp.url)));
        expect(test.body).toMatchObject({ status: 'pending' });
        expect(test.body.log[0].error).toMatch(/certificate/i);
        expect(tlsSmtp.received.length).toBe(before);
      });
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
  },
);
