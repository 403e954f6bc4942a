import type { Channel, ChannelDelivery } from '../../web/src/api/client';

/** A channel as GET /api/channels shows it (secrets masked), for component tests. */
export const sampleChannel = (overrides: Partial<Channel> = {}): Channel => ({
  id: 4,
  name: 'Ops on Slack',
  type: 'slack',
  config: { webhookUrl: 'https://hooks.slack.com/…XXXX' },
  events: ['run.failed', 'job.down', 'job.up'],
  projectId: null,
  jobIds: null,
  enabled: true,
  disabledReason: null,
  createdAt: '2026-11-23T09:12:30.000Z',
  updatedAt: '2026-11-23T09:12:30.000Z',
  ...overrides,
});

/** A delivery after one attempt, as POST /api/channels/{id}/test answers. */
export const sampleDelivery = (overrides: Partial<ChannelDelivery> = {}): ChannelDelivery => ({
  id: 11,
  eventId: 'msg_0123',
  eventType: 'webhook.test',
  status: 'succeeded',
  attempts: 1,
  nextAttemptAt: null,
  createdAt: '2026-11-23T09:13:00.000Z',
  log: [
    {
      attempt: 1,
      responseStatus: 200,
      error: null,
      durationMs: 41,
      responseExcerpt: 'ok',
      createdAt: '2026-11-23T09:13:00.000Z',
    },
  ],
  ...overrides,
});
