import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../../shared/webhooks/model.js';
import { idParams, IsoTimestamp as Timestamp } from '../wire-primitives.js';

/** The webhooks' wire shapes: `/webhooks` and their deliveries. The payloads sent are in payloads.ts. */

export const EventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES, {
  message: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
});

export const WebhookSchema = z
  .object({
    id: z.number().int(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(EventTypeSchema),
    projectId: z.number().int().nullable().meta({
      description: "Only this project's events; null: every project's.",
    }),
    jobId: z.number().int().nullable().meta({ description: "Only this job's events." }),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().meta({
      description:
        'Why the dispatcher disabled the webhook (a delivery failed for the whole retry window); PATCH `enabled: true` to resume.',
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Webhook' });

export const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().meta({
    description:
      'The Standard Webhooks signing secret (`whsec_` + base64). Shown in this response only.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).meta({ id: 'CreatedWebhook' });

export const WebhookListSchema = z
  .object({ data: z.array(WebhookSchema) })
  .meta({ id: 'WebhookList' });

const UrlSchema = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .meta({ description: 'An http(s) URL.', example: 'https://hooks.example.com/chronotrack' });
const DescriptionSchema = z.string().trim().max(500, 'must be at most 500 characters').nullable();
const EventsSchema = z.array(EventTypeSchema).min(1, 'must name at least one event');

export const WebhookCreateSchema = z
  .strictObject({
    url: UrlSchema,
    description: DescriptionSchema.optional(),
    events: EventsSchema,
    projectId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    jobId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .meta({
    example: { url: 'https://hooks.example.com/chronotrack', events: ['run.failed', 'job.down'] },
  });

export const WebhookUpdateSchema = z
  .strictObject({
    url: UrlSchema.optional(),
    description: DescriptionSchema.optional(),
    events: EventsSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ example: { enabled: true } });

/** One attempt in a delivery's log: the same log for webhooks and channels. */
export const AttemptSchema = z.object({
  attempt: z.number().int(),
  responseStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  responseExcerpt: z
    .string()
    .nullable()
    .meta({ description: 'At most the first 1 KB of the response body.' }),
  createdAt: Timestamp,
});

export const DeliverySchema = z
  .object({
    id: z.number().int(),
    eventId: z.string().meta({ description: 'The `webhook-id` header of every attempt.' }),
    eventType: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: Timestamp.nullable(),
    createdAt: Timestamp,
    log: z.array(AttemptSchema),
  })
  .meta({ id: 'WebhookDelivery' });

export const DeliveryListSchema = z
  .object({ data: z.array(DeliverySchema) })
  .meta({ id: 'WebhookDeliveryList' });

export const WebhookIdParamsSchema = idParams('id', 'Webhook id.');
