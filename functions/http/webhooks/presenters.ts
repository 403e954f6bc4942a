import { isoTime, isoTimeOrNull } from '../../../shared/iso-time.js';
import type { Delivery, DeliveryStatus, Webhook } from '../../../shared/webhooks/model.js';

/** Webhooks and their deliveries as the API shows them: never the signing secret after creation. */

export const webhookJson = (webhook: Webhook) => ({
  id: webhook.id,
  url: webhook.url,
  description: webhook.description,
  events: webhook.events,
  projectId: webhook.projectId,
  jobId: webhook.jobId,
  enabled: webhook.enabled,
  disabledReason: webhook.disabledReason,
  createdAt: isoTime(webhook.createdAt),
  updatedAt: isoTime(webhook.updatedAt),
});

export const deliveryJson = (delivery: Delivery) => ({
  id: delivery.id,
  eventId: delivery.eventId,
  eventType: delivery.eventType,
  // Only channels hold deliveries back (shared/channels/notifier.ts); a webhook's never are.
  status: delivery.status as Exclude<DeliveryStatus, 'held'>,
  attempts: delivery.attempts,
  nextAttemptAt: isoTimeOrNull(delivery.nextAttemptAt),
  createdAt: isoTime(delivery.createdAt),
  log: delivery.log.map((attempt) => ({ ...attempt, createdAt: isoTime(attempt.createdAt) })),
});
