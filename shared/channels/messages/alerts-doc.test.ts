import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChannelConfig } from '../model.js';
import type { Notification } from '../notification.js';
import { channelMessage } from './index.js';

/**
 * docs/alerts.md shows what each channel type sends, so a reader can set up a receiver or know
 * what lands in the chat. Those samples are the formatters' own output for the notifications
 * below: a formatter that changes fails here until the sample is written again.
 */
const DOC = readFileSync(new URL('../../../docs/alerts.md', import.meta.url), 'utf8');

/** The code blocks of `### <heading>` (until the next heading), fences of 3 or 4 backticks. */
function samples(heading: string): string[] {
  const start = DOC.indexOf(`\n### ${heading}\n`);
  if (start < 0) throw new Error(`docs/alerts.md has no "### ${heading}" section`);
  const end = DOC.indexOf('\n#', start + heading.length + 6);
  const section = DOC.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^(`{3,4})(\w+)\n([\s\S]*?)\n\1$/gm)].map((m) => m[3]!);
}

const job = { id: 7, name: 'Nightly backup', key: 'nightly-backup', projectName: 'Ops' };
const none = { expectedAt: null, lastSuccessAt: null, downSince: null, held: null, links: null };
const failed: Notification = {
  ...none,
  event: 'run.failed',
  at: new Date('2026-12-01T03:00:12.345Z'),
  job,
  run: {
    id: 812,
    exitCode: 3,
    errorMessage: 'disk full',
    durationMs: 12_245,
    outputTail: 'copying /var/lib/postgres\nwrite error: No space left on device',
  },
  held: { count: 12, since: new Date('2026-12-01T02:05:00.000Z') },
};
const down: Notification = {
  ...none,
  event: 'job.down',
  at: new Date('2026-12-01T03:10:00.000Z'),
  job,
  run: null,
  expectedAt: new Date('2026-12-01T03:00:00.000Z'),
  lastSuccessAt: new Date('2026-11-30T03:00:41.000Z'),
};
const up: Notification = {
  ...down,
  event: 'job.up',
  expectedAt: null,
  lastSuccessAt: null,
  downSince: new Date('2026-12-01T03:05:00.000Z'),
};

const body = (config: ChannelConfig, n: Notification) => {
  const message = channelMessage(config, n);
  if (message.kind !== 'http') throw new Error(`${config.type} sent ${message.kind}`);
  return message;
};
const parsed = (config: ChannelConfig, n: Notification) => JSON.parse(body(config, n).body);

describe('docs/alerts.md channel samples', () => {
  it('Slack: a failed run with held-back failures', () => {
    const [sample] = samples('Slack');
    const config = { type: 'slack', webhookUrl: 'https://hooks.slack.com/x' } as const;
    expect(JSON.parse(sample!)).toEqual(parsed(config, failed));
  });

  it('Discord: the same failed run', () => {
    const [sample] = samples('Discord');
    const config = { type: 'discord', webhookUrl: 'https://discord.com/api/webhooks/1/x' } as const;
    expect(JSON.parse(sample!)).toEqual(parsed(config, failed));
  });

  it('Microsoft Teams: a job down', () => {
    const [sample] = samples('Microsoft Teams');
    const config = { type: 'teams', webhookUrl: 'https://example.powerautomate.com/x' } as const;
    expect(JSON.parse(sample!)).toEqual(parsed(config, down));
  });

  it('ntfy: a job down, as the request goes out', () => {
    const [sample] = samples('ntfy');
    const message = body({ type: 'ntfy', url: 'https://ntfy.example.com/ops-topic' }, down);
    const headers = Object.entries(message.headers).map(([name, value]) => `${name}: ${value}`);
    const request = ['POST /ops-topic HTTP/1.1', ...headers, '', message.body].join('\n');
    expect(sample).toBe(request.trimEnd());
  });

  it('PagerDuty: a job down triggers, its recovery resolves', () => {
    const [trigger, resolve] = samples('PagerDuty');
    const config = { type: 'pagerduty', routingKey: 'R0…' } as const;
    expect(JSON.parse(trigger!)).toEqual(parsed(config, down));
    expect(JSON.parse(resolve!)).toEqual(parsed(config, up));
  });
});
