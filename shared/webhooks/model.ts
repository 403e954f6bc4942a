/** Webhooks (issue 14): the event types, what is stored, and the store's interface. */
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

export interface NewWebhook {
  url: string;
  description: string | null;
  events: WebhookEventType[];
  projectId: number | null;
  jobId: number | null;
  secret: string;
  createdAt: Date;
}

export interface WebhookChanges {
  url?: string;
  description?: string | null;
  events?: WebhookEventType[];
  enabled?: boolean;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

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

/** A delivery a dispatcher holds the lease of, with what it needs to send it. */
export interface ClaimedDelivery {
  id: number;
  leaseToken: string;
  webhookId: number;
  url: string;
  secret: string;
  attempts: number;
  eventId: string;
  eventType: string;
  eventCreatedAt: Date;
  /** The payload's `data`, as JSON text (a snapshot taken when the event happened). */
  data: string;
}

/** The outcome of one attempt, and what happens next. */
export interface AttemptResult {
  delivery: ClaimedDelivery;
  attempt: Omit<DeliveryAttempt, 'attempt'>;
  /** succeeded, failed (given up) or pending with the next attempt's time. */
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  /** Set when giving up disables the webhook. */
  disableReason: string | null;
}

export interface WebhookRepository {
  create(webhook: NewWebhook): Promise<Webhook>;
  /** Webhooks of one project (and none of another), or all with null; oldest first. */
  list(projectId: number | null): Promise<Webhook[]>;
  findById(id: number): Promise<Webhook | null>;
  update(id: number, changes: WebhookChanges, now: Date): Promise<Webhook | null>;
  delete(id: number): Promise<boolean>;
  /** The newest deliveries of a webhook, each with its attempts. */
  deliveries(webhookId: number, limit: number): Promise<Delivery[]>;
  /** Writes a test event and its one delivery (due now); returns the delivery id. */
  enqueueTest(webhookId: number, data: string, now: Date): Promise<number>;
  /**
   * Compare-and-set: leases up to `limit` due deliveries of enabled webhooks (or only `only`) that
   * no live lease holds, in one statement, so two dispatchers never take the same one.
   */
  claimDue(
    now: Date,
    leaseUntil: Date,
    token: string,
    limit: number,
    only?: number,
  ): Promise<ClaimedDelivery[]>;
  /**
   * Whether `claimDue` would find anything now: one read on the partial index of pending
   * deliveries, no write lock, so probing after every write costs next to nothing.
   */
  hasDue(now: Date): Promise<boolean>;
  /** Logs the attempt and moves the delivery on, in one commit, if the lease is still ours. */
  record(result: AttemptResult, now: Date): Promise<void>;
}
