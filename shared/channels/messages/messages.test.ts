import { describe, expect, it } from 'vitest';
import { shapeProblem } from '../../../test/support/channel-shapes.js';
import type { ChannelConfig } from '../model.js';
import type { Notification } from '../notification.js';
import { channelMessage, type HttpMessage, type MailMessage } from './index.js';

function http(config: ChannelConfig, n: Notification): HttpMessage {
  const message = channelMessage(config, n);
  if (message.kind !== 'http') throw new Error(`${config.type} sent ${message.kind}`);
  return message;
}

function mail(n: Notification): MailMessage {
  const message = channelMessage({ type: 'email', to: ['ops@example.com'] }, n);
  if (message.kind !== 'mail') throw new Error(`email sent ${message.kind}`);
  return message;
}

/**
 * Every formatter over every kind of notification, held to the shape its service documents
 * (test/support/channel-shapes.ts, the same check the loopback receivers make), the long and
 * odd cases included: a 2 KB error, a job name with markup and non-ASCII.
 */
const job = { id: 7, name: 'Nächtliches <backup> & co', key: 'nightly', projectName: 'Ops' };
const run = {
  id: 812,
  exitCode: 3,
  errorMessage: 'e'.repeat(2000),
  durationMs: 12_245,
  outputTail: 'x'.repeat(600),
};
const at = new Date('2026-12-01T03:00:00Z');
const none = { expectedAt: null, lastSuccessAt: null, downSince: null, held: null, links: null };
const links = { job: 'https://ct.example.com/jobs/7', run: 'https://ct.example.com/runs/812' };
const NOTIFICATIONS: Notification[] = [
  { event: 'run.failed', at, job, run, ...none, held: { count: 12, since: at }, links },
  { event: 'run.succeeded', at, job, run: { ...run, outputTail: null }, ...none },
  { event: 'job.late', at, job, run: null, ...none, expectedAt: at },
  { event: 'job.down', at, job, run: null, ...none, lastSuccessAt: at },
  { event: 'job.up', at, job, run: null, ...none, downSince: new Date(at.getTime() - 3_600_000) },
  { event: 'webhook.test', at, job: null, run: null, ...none },
  {
    event: 'job.late',
    at,
    job,
    run: null,
    ...none,
    expectedAt: at,
    links: { job: links.job, run: null },
  },
];
const CONFIGS: ChannelConfig[] = [
  { type: 'slack', webhookUrl: 'https://hooks.slack.com/x' },
  { type: 'discord', webhookUrl: 'https://discord.com/api/webhooks/1/x' },
  { type: 'teams', webhookUrl: 'https://example.powerautomate.com/x' },
  { type: 'ntfy', url: 'https://ntfy.sh/t', token: 'tk' },
  { type: 'pagerduty', routingKey: 'R0123456789abcdef0123456789abcd' },
];

describe('channel messages', () => {
  for (const config of CONFIGS)
    it(`${config.type}: every notification fits the documented shape`, () => {
      for (const n of NOTIFICATIONS) {
        const message = http(config, n);
        const headers = Object.fromEntries(
          Object.entries(message.headers).map(([name, value]) => [name.toLowerCase(), value]),
        );
        expect(
          shapeProblem(config.type, { path: '/', headers, body: message.body }),
          n.event,
        ).toBeNull();
      }
    });

  it('pagerduty: triggers on run.failed and job.down, resolves on job.up, one dedup_key per job', () => {
    const pd = CONFIGS[4]!;
    const sent = NOTIFICATIONS.slice(0, 5).map((n) => JSON.parse(http(pd, n).body));
    expect(sent.map((body) => body.event_action)).toEqual([
      'trigger',
      'trigger',
      'trigger',
      'trigger',
      'resolve',
    ]);
    expect(new Set(sent.map((body) => body.dedup_key))).toEqual(new Set(['chronotrack-job-7']));
    expect(sent[3].payload).toMatchObject({ severity: 'critical', source: 'chronotrack/nightly' });
  });

  it('ntfy: a title that is not ASCII goes as an RFC 2047 encoded word', () => {
    const { headers } = http(CONFIGS[3]!, NOTIFICATIONS[0]!);
    expect(headers.Title).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    const bytes = Uint8Array.from(atob(headers.Title!.slice(10, -2)), (c) => c.charCodeAt(0));
    expect(new TextDecoder().decode(bytes)).toBe('FAILED: Nächtliches <backup> & co (Ops)');
  });

  it('slack: escapes the characters mrkdwn reserves', () => {
    expect(http(CONFIGS[0]!, NOTIFICATIONS[0]!).body).toContain(
      'Nächtliches &lt;backup&gt; &amp; co',
    );
  });

  it('every type carries the dashboard links when PUBLIC_URL gave some, and none without', () => {
    for (const config of CONFIGS) {
      const withLinks = http(config, NOTIFICATIONS[0]!);
      const text = withLinks.body + JSON.stringify(withLinks.headers);
      expect(text, config.type).toContain('https://ct.example.com/runs/812');
      expect(text, config.type).toContain('https://ct.example.com/jobs/7');
      expect(JSON.stringify(http(config, NOTIFICATIONS[1]!)), config.type).not.toContain(
        'ct.example.com',
      );
    }
    expect(http(CONFIGS[3]!, NOTIFICATIONS[0]!).headers.Click).toBe(
      'https://ct.example.com/runs/812',
    );
  });

  it('email: a one-line subject for a list, both parts, everything from users escaped in HTML', () => {
    const failed = mail({ ...NOTIFICATIONS[0]!, job: { ...job, name: 'Nightly\r\nBcc: x <b>' } });
    expect(failed.subject).toBe('[ChronoTrack] FAILED: Nightly Bcc: x <b> (Ops)');
    expect(failed.to).toEqual(['ops@example.com']);
    expect(failed.text).toContain('Exit code: 3');
    expect(failed.text).toContain('Run page: https://ct.example.com/runs/812');
    expect(failed.html).toContain('Nightly\r\nBcc: x &lt;b&gt;');
    expect(failed.html).not.toMatch(/<b>/);
    expect(failed.html).toContain(
      '<a href="https://ct.example.com/runs/812">Run in ChronoTrack</a>',
    );
    const odd = mail({
      ...NOTIFICATIONS[0]!,
      run: { ...run, errorMessage: '<script>alert(1)</script>', outputTail: '"quoted" & <tag>' },
    });
    expect(odd.html).not.toContain('<script>');
    expect(odd.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(odd.html).toContain('&quot;quoted&quot; &amp; &lt;tag&gt;');
    expect(mail(NOTIFICATIONS[4]!).subject).toBe(
      '[ChronoTrack] UP: Nächtliches <backup> & co (Ops)',
    );
    expect(mail(NOTIFICATIONS[5]!).html).toContain('this channel works');
    expect(mail(NOTIFICATIONS[1]!).html).not.toContain('<a ');
  });
});
