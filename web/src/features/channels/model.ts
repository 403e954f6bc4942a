import type { Channel, ChannelEvent, ChannelType } from '../../api/client';

/** The words and choices the channels' pages show, over the API's own types. */

/**
 * Every event a channel may send, in the order the form lists them, with the words it shows. A
 * Record over the API's own union: an event added to the API fails the type check until it has
 * its words here.
 */
export const EVENT_LABELS: Record<ChannelEvent, string> = {
  'run.failed': 'A run failed',
  'run.slow': 'A run was slow',
  'run.succeeded': 'A run succeeded',
  'job.late': 'A job is late',
  'job.down': 'A job is down',
  'job.up': 'A job is up again',
  'run.created': 'A run was created',
  'run.cancelled': 'A run was cancelled',
};
export const CHANNEL_EVENTS = Object.keys(EVENT_LABELS) as ChannelEvent[];

/**
 * The events a PagerDuty channel takes (it opens an incident on the first two and resolves it on
 * job.up); the API refuses others with a 400 (shared/channels/model.ts's PAGERDUTY_EVENTS).
 */
export const PAGERDUTY_EVENTS: readonly ChannelEvent[] = ['run.failed', 'job.down', 'job.up'];

/** The events a type of channel may send. */
export const eventsFor = (type: ChannelType): readonly ChannelEvent[] =>
  type === 'pagerduty' ? PAGERDUTY_EVENTS : CHANNEL_EVENTS;

/** Each type's name, in the order the form offers them (a Record: every type the API has). */
export const TYPE_LABELS: Record<ChannelType, string> = {
  slack: 'Slack',
  discord: 'Discord',
  teams: 'Microsoft Teams',
  ntfy: 'ntfy',
  pagerduty: 'PagerDuty',
  email: 'Email',
};
export const CHANNEL_TYPES = Object.keys(TYPE_LABELS) as ChannelType[];

/** Where a channel posts, as the API shows it (secrets masked): what the list says it targets. */
export function channelTarget(channel: Pick<Channel, 'type' | 'config'>): string {
  const { config } = channel;
  const text = (value: string | string[] | undefined) =>
    Array.isArray(value) ? value.join(', ') : (value ?? '');
  switch (channel.type) {
    case 'email':
      return text(config.to);
    case 'ntfy':
      return text(config.url) + (config.token ? ` (token ${text(config.token)})` : '');
    case 'pagerduty':
      return (
        `routing key ${text(config.routingKey)}` + (config.url ? ` via ${text(config.url)}` : '')
      );
    default:
      return text(config.webhookUrl);
  }
}
