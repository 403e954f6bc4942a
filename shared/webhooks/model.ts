/**
 * Webhooks (issue 14): the event types and what is stored. Which write emits which event:
 * event-triggers.ts; the store's interface: shared/repositories.ts.
 */
export const WEBHOOK_EVENT_TYPES = [
  'run.created',
  'run.succeeded',
  'run.failed',
  'run.cancelled',
  'run.slow',
  'job.late',
  'job.down',
  'job.up',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What POST /api/webhooks/{id}/test sends: not a subscribable type, so no filter drops it. */
export const TEST_EVENT_TYPE = 'webhook.test';

export interface Webhook {
  id: number;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  projectId: number | null;
  jobId: number | null;
  enabled: boolean;
  /** Why the dispatcher disabled it; null while enabled or when a person disabled it. */
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** held: a channel's run.failed notice held back by NOTIFY_MIN_INTERVAL_SECONDS, never sent. */
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'held';

export interface DeliveryAttempt {
  attempt: number;
  /** null: no HTTP response (refused, timed out, network error: see `error`). */
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  responseExcerpt: string | null;
  createdAt: Date;
}

export interface Delivery {
  id: number;
  webhookId: number;
  /** The event's stable id: the `webhook-id` header of every attempt. */
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  log: DeliveryAttempt[];
}
