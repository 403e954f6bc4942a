import type { WebhookEventType } from '../webhooks/model.js';

/**
 * Notification channels (issue 24): a person is told, in a chat or a pager, through the same
 * outbox, retries and deliveries log as webhooks (a channel is a row of the webhooks table with
 * its own `type`: db/schema.ts). Email is one more type: sent through the platform's Mailer
 * (shared/channels/mailer.ts) rather than over HTTP.
 */
export const CHANNEL_TYPES = ['slack', 'discord', 'teams', 'ntfy', 'pagerduty', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** PagerDuty's Events API v2 endpoint, where a pagerduty channel posts unless `url` says otherwise. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** The events a PagerDuty channel may take: it opens an incident on the first two, resolves on job.up. */
export const PAGERDUTY_EVENTS: readonly WebhookEventType[] = ['run.failed', 'job.down', 'job.up'];

/** Each type's settings, as stored; the secrets (webhookUrl, routingKey, token) are never shown whole. */
export type ChannelConfig =
  | { type: 'slack' | 'discord' | 'teams'; webhookUrl: string }
  | { type: 'ntfy'; url: string; token?: string }
  | { type: 'pagerduty'; routingKey: string; url?: string }
  | { type: 'email'; to: string[] };

export interface Channel {
  id: number;
  name: string;
  config: ChannelConfig;
  events: WebhookEventType[];
  projectId: number | null;
  /** Only these jobs' events; null: every job (of its project). */
  jobIds: number[] | null;
  enabled: boolean;
  /** Why the dispatcher disabled it (its receiver failed for the whole retry window). */
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Where a channel posts: its webhook URL, its ntfy topic, or PagerDuty's endpoint; an email
 * channel's recipients as a `mailto:` URL (the webhooks' `url` column, which must hold a value).
 */
export function channelTarget(config: ChannelConfig): string {
  switch (config.type) {
    case 'email':
      return `mailto:${config.to.join(',')}`;
    case 'ntfy':
      return config.url;
    case 'pagerduty':
      return config.url ?? PAGERDUTY_EVENTS_URL;
    default:
      return config.webhookUrl;
  }
}

/** A secret as the API shows it: the host (of a URL) and its last 4 characters, never whole. */
export function maskSecret(secret: string): string {
  const tail = secret.length > 8 ? secret.slice(-4) : '';
  let origin = '';
  try {
    // Scheme and host: an `http://` receiver on a LAN must not read as https.
    const url = new URL(secret);
    origin = url.host ? `${url.protocol}//${url.host}` : '';
  } catch {
    // not a URL (a routing key, a token)
  }
  return origin ? `${origin}/…${tail}` : `…${tail}`;
}

/** A channel's settings for the API: every secret masked (an email's recipients are none). */
export function maskedConfig(config: ChannelConfig): Record<string, string | string[]> {
  switch (config.type) {
    case 'email':
      return { to: config.to };
    case 'ntfy':
      return {
        url: config.url,
        ...(config.token !== undefined && { token: maskSecret(config.token) }),
      };
    case 'pagerduty':
      return {
        routingKey: maskSecret(config.routingKey),
        ...(config.url !== undefined && { url: config.url }),
      };
    default:
      return { webhookUrl: maskSecret(config.webhookUrl) };
  }
}
