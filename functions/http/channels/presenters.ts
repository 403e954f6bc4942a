import { isoTime, isoTimeOrNull } from '../../../shared/iso-time.js';
import { maskedConfig, type Channel } from '../../../shared/channels/model.js';
import type { Delivery } from '../../../shared/webhooks/model.js';

/** Channels as the API shows them: secrets masked, always (they are write-only). */

export const channelJson = (channel: Channel) => ({
  id: channel.id,
  name: channel.name,
  type: channel.config.type,
  config: maskedConfig(channel.config),
  events: channel.events,
  projectId: channel.projectId,
  jobIds: channel.jobIds,
  enabled: channel.enabled,
  disabledReason: channel.disabledReason,
  createdAt: isoTime(channel.createdAt),
  updatedAt: isoTime(channel.updatedAt),
});

export const channelDeliveryJson = (delivery: Delivery) => ({
  id: delivery.id,
  eventId: delivery.eventId,
  eventType: delivery.eventType,
  status: delivery.status,
  attempts: delivery.attempts,
  nextAttemptAt: isoTimeOrNull(delivery.nextAttemptAt),
  createdAt: isoTime(delivery.createdAt),
  log: delivery.log.map((attempt) => ({ ...attempt, createdAt: isoTime(attempt.createdAt) })),
});
