import { createRoute } from '@hono/zod-openapi';
import { createRouter, guardedResponses, jsonBody, jsonContent, requires } from '../openapi.js';
import { deliveryJson, webhookJson } from './presenters.js';
import {
  CreatedWebhookSchema,
  DeliverySchema,
  DeliveryListSchema,
  WebhookCreateSchema,
  WebhookIdParamsSchema,
  WebhookListSchema,
  WebhookSchema,
  WebhookUpdateSchema,
} from './schemas.js';

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
    const webhooks = await c.get('services').webhooks.list(c.get('principal').projectId);
    return c.json({ data: webhooks.map(webhookJson) }, 200);
  })
  .openapi(createWebhook, async (c) => {
    const { webhook, secret } = await c
      .get('services')
      .webhooks.create(c.req.valid('json'), c.get('principal').projectId);
    c.header('Cache-Control', 'no-store');
    c.header('Location', `/api/webhooks/${webhook.id}`);
    return c.json({ ...webhookJson(webhook), secret }, 201);
  })
  .openapi(getWebhook, async (c) => {
    const webhook = await c
      .get('services')
      .webhooks.get(c.req.valid('param').id, c.get('principal').projectId);
    return c.json(webhookJson(webhook), 200);
  })
  .openapi(updateWebhook, async (c) => {
    const webhook = await c
      .get('services')
      .webhooks.update(c.req.valid('param').id, c.req.valid('json'), c.get('principal').projectId);
    return c.json(webhookJson(webhook), 200);
  })
  .openapi(deleteWebhook, async (c) => {
    await c.get('services').webhooks.delete(c.req.valid('param').id, c.get('principal').projectId);
    return c.body(null, 204);
  })
  .openapi(listDeliveries, async (c) => {
    const deliveries = await c
      .get('services')
      .webhooks.deliveries(c.req.valid('param').id, c.get('principal').projectId);
    return c.json({ data: deliveries.map(deliveryJson) }, 200);
  })
  .openapi(testWebhook, async (c) => {
    const delivery = await c
      .get('services')
      .webhooks.test(c.req.valid('param').id, c.get('principal').projectId);
    return c.json(deliveryJson(delivery), 200);
  });
