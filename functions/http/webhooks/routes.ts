import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import type { WebhookService } from '../../../shared/services/webhook-service.js';
import {
  WEBHOOK_EVENT_TYPES,
  type Delivery,
  type Webhook,
} from '../../../shared/webhooks/model.js';
import type { AppEnv } from '../env.js';
import { createRouter, guardedResponses, jsonBody, jsonContent, requires } from '../openapi.js';
import { IdSchema } from '../schemas.js';
import { IsoTimestamp as Timestamp } from '../wire-primitives.js';

const EventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES, {
  message: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
});

const WebhookSchema = z
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

const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().meta({
    description:
      'The Standard Webhooks signing secret (`whsec_` + base64). Shown in this response only.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).meta({ id: 'CreatedWebhook' });

const WebhookListSchema = z.object({ data: z.array(WebhookSchema) }).meta({ id: 'WebhookList' });

const UrlSchema = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .meta({ description: 'An http(s) URL.', example: 'https://hooks.example.com/chronotrack' });
const DescriptionSchema = z.string().trim().max(500, 'must be at most 500 characters').nullable();
const EventsSchema = z.array(EventTypeSchema).min(1, 'must name at least one event');

const WebhookCreateSchema = z
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

const WebhookUpdateSchema = z
  .strictObject({
    url: UrlSchema.optional(),
    description: DescriptionSchema.optional(),
    events: EventsSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ example: { enabled: true } });

const AttemptSchema = z.object({
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

const DeliverySchema = z
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

const DeliveryListSchema = z
  .object({ data: z.array(DeliverySchema) })
  .meta({ id: 'WebhookDeliveryList' });

const WebhookIdParamsSchema = z.object({
  id: IdSchema.meta({
    param: { name: 'id', in: 'path' },
    example: '1',
    description: 'Webhook id.',
  }),
});

const webhookJson = (webhook: Webhook) => ({
  id: webhook.id,
  url: webhook.url,
  description: webhook.description,
  events: webhook.events,
  projectId: webhook.projectId,
  jobId: webhook.jobId,
  enabled: webhook.enabled,
  disabledReason: webhook.disabledReason,
  createdAt: webhook.createdAt.toISOString(),
  updatedAt: webhook.updatedAt.toISOString(),
});

const deliveryJson = (delivery: Delivery) => ({
  id: delivery.id,
  eventId: delivery.eventId,
  eventType: delivery.eventType,
  status: delivery.status,
  attempts: delivery.attempts,
  nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
  createdAt: delivery.createdAt.toISOString(),
  log: delivery.log.map((attempt) => ({ ...attempt, createdAt: attempt.createdAt.toISOString() })),
});

const service = (c: Context<AppEnv>): WebhookService => {
  // Only the in-memory stores (reading the OpenAPI document) have no webhooks.
  if (!c.var.services.webhooks) throw new Error('webhooks need a database');
  return c.var.services.webhooks;
};

const DESCRIPTION_SCOPE =
  'Needs the write scope; a project-scoped key sees and creates only webhooks of its project.';

const listWebhooks = createRoute({
  operationId: 'listWebhooks',
  ...requires('write'),
  method: 'get',
  path: '/',
  tags: ['webhooks'],
  summary: 'List webhooks',
  description: `Oldest first, never secrets. ${DESCRIPTION_SCOPE}`,
  responses: { 200: jsonContent(WebhookListSchema, 'The webhooks.'), ...guardedResponses() },
});

const createWebhook = createRoute({
  operationId: 'createWebhook',
  ...requires('write'),
  method: 'post',
  path: '/',
  tags: ['webhooks'],
  summary: 'Create a webhook',
  description: `The response holds the signing \`secret\`, once. Loopback, private and link-local addresses are refused (400) unless the server runs with WEBHOOK_ALLOW_PRIVATE=true. ${DESCRIPTION_SCOPE}`,
  request: { body: jsonBody(WebhookCreateSchema) },
  responses: {
    201: jsonContent(CreatedWebhookSchema, 'The created webhook, with its secret.'),
    ...guardedResponses(400, 404, 413, 415),
  },
});

const getWebhook = createRoute({
  operationId: 'getWebhook',
  ...requires('write'),
  method: 'get',
  path: '/{id}',
  tags: ['webhooks'],
  summary: 'Get a webhook',
  request: { params: WebhookIdParamsSchema },
  responses: { 200: jsonContent(WebhookSchema, 'The webhook.'), ...guardedResponses(400, 404) },
});

const updateWebhook = createRoute({
  operationId: 'updateWebhook',
  ...requires('write'),
  method: 'patch',
  path: '/{id}',
  tags: ['webhooks'],
  summary: 'Change a webhook',
  description:
    '`enabled: true` resumes a disabled webhook (and clears `disabledReason`); its pending deliveries go out again.',
  request: { params: WebhookIdParamsSchema, body: jsonBody(WebhookUpdateSchema) },
  responses: {
    200: jsonContent(WebhookSchema, 'The changed webhook.'),
    ...guardedResponses(400, 404, 413, 415),
  },
});

const deleteWebhook = createRoute({
  operationId: 'deleteWebhook',
  ...requires('write'),
  method: 'delete',
  path: '/{id}',
  tags: ['webhooks'],
  summary: 'Delete a webhook',
  description: 'Its deliveries (pending ones included) go with it.',
  request: { params: WebhookIdParamsSchema },
  responses: { 204: { description: 'Deleted.' }, ...guardedResponses(400, 404) },
});

const listDeliveries = createRoute({
  operationId: 'listWebhookDeliveries',
  ...requires('write'),
  method: 'get',
  path: '/{id}/deliveries',
  tags: ['webhooks'],
  summary: "A webhook's delivery log",
  description: 'The 50 newest deliveries, newest first, each with its attempts.',
  request: { params: WebhookIdParamsSchema },
  responses: {
    200: jsonContent(DeliveryListSchema, 'The deliveries.'),
    ...guardedResponses(400, 404),
  },
});

const testWebhook = createRoute({
  operationId: 'testWebhook',
  ...requires('write'),
  method: 'post',
  path: '/{id}/test',
  tags: ['webhooks'],
  summary: 'Send a test event',
  description:
    'Sends a `webhook.test` event at once and answers with its delivery: `succeeded`, or `pending` with the failed attempt in `log` (it is then retried like any other). A disabled webhook sends nothing until enabled again.',
  request: { params: WebhookIdParamsSchema },
  responses: {
    200: jsonContent(DeliverySchema, 'The test delivery after its first attempt.'),
    ...guardedResponses(400, 404),
  },
});

export const webhooksApi = createRouter()
  .openapi(listWebhooks, async (c) => {
    const webhooks = await service(c).list(c.var.principal.projectId);
    return c.json({ data: webhooks.map(webhookJson) }, 200);
  })
  .openapi(createWebhook, async (c) => {
    const { webhook, secret } = await service(c).create(
      c.req.valid('json'),
      c.var.principal.projectId,
    );
    c.header('Cache-Control', 'no-store');
    c.header('Location', `/api/webhooks/${webhook.id}`);
    return c.json({ ...webhookJson(webhook), secret }, 201);
  })
  .openapi(getWebhook, async (c) => {
    const webhook = await service(c).get(c.req.valid('param').id, c.var.principal.projectId);
    return c.json(webhookJson(webhook), 200);
  })
  .openapi(updateWebhook, async (c) => {
    const webhook = await service(c).update(
      c.req.valid('param').id,
      c.req.valid('json'),
      c.var.principal.projectId,
    );
    return c.json(webhookJson(webhook), 200);
  })
  .openapi(deleteWebhook, async (c) => {
    await service(c).delete(c.req.valid('param').id, c.var.principal.projectId);
    return c.body(null, 204);
  })
  .openapi(listDeliveries, async (c) => {
    const deliveries = await service(c).deliveries(
      c.req.valid('param').id,
      c.var.principal.projectId,
    );
    return c.json({ data: deliveries.map(deliveryJson) }, 200);
  })
  .openapi(testWebhook, async (c) => {
    const delivery = await service(c).test(c.req.valid('param').id, c.var.principal.projectId);
    return c.json(deliveryJson(delivery), 200);
  });
