import { createRoute } from '@hono/zod-openapi';
import { createRouter, guardedResponses, jsonBody, jsonContent, requires } from '../openapi.js';
import { channelDeliveryJson, channelJson } from './presenters.js';
import {
  ChannelCreateSchema,
  ChannelDeliveryListSchema,
  ChannelDeliverySchema,
  ChannelIdParamsSchema,
  ChannelListSchema,
  ChannelSchema,
  ChannelUpdateSchema,
  parseChannelConfig,
} from './schemas.js';

const SCOPE =
  "A project-scoped key sees and creates only channels of its project; another project's channel is a 404.";

const listChannels = createRoute({
  operationId: 'listChannels',
  ...requires('read'),
  method: 'get',
  path: '/',
  tags: ['channels'],
  summary: 'List notification channels',
  description: `Oldest first, secrets masked. ${SCOPE}`,
  responses: { 200: jsonContent(ChannelListSchema, 'The channels.'), ...guardedResponses() },
});

const createChannel = createRoute({
  operationId: 'createChannel',
  ...requires('admin'),
  method: 'post',
  path: '/',
  tags: ['channels'],
  summary: 'Create a notification channel',
  description: `\`config\` must be the type's (400 names a field of another type). The URL must be https; http, and loopback or private addresses, only with WEBHOOK_ALLOW_PRIVATE=true. A pagerduty channel takes run.failed, job.down and job.up only. An email channel needs the server's SMTP_URL and SMTP_FROM: without them (and always on Workers) 422 \`MAIL_NOT_CONFIGURED\`. ${SCOPE}`,
  request: { body: jsonBody(ChannelCreateSchema) },
  responses: {
    201: jsonContent(ChannelSchema, 'The created channel, secrets masked.'),
    ...guardedResponses(400, 404, 413, 415, 422),
  },
});

const getChannel = createRoute({
  operationId: 'getChannel',
  ...requires('read'),
  method: 'get',
  path: '/{id}',
  tags: ['channels'],
  summary: 'Get a notification channel',
  request: { params: ChannelIdParamsSchema },
  responses: { 200: jsonContent(ChannelSchema, 'The channel.'), ...guardedResponses(400, 404) },
});

const updateChannel = createRoute({
  operationId: 'updateChannel',
  ...requires('admin'),
  method: 'patch',
  path: '/{id}',
  tags: ['channels'],
  summary: 'Change a notification channel',
  description:
    "`config` is replaced whole (secrets are write-only) and keeps the channel's type. `enabled: true` resumes a disabled channel and clears `disabledReason`.",
  request: { params: ChannelIdParamsSchema, body: jsonBody(ChannelUpdateSchema) },
  responses: {
    200: jsonContent(ChannelSchema, 'The changed channel.'),
    ...guardedResponses(400, 404, 413, 415, 422),
  },
});

const deleteChannel = createRoute({
  operationId: 'deleteChannel',
  ...requires('admin'),
  method: 'delete',
  path: '/{id}',
  tags: ['channels'],
  summary: 'Delete a notification channel',
  description: 'Its deliveries (pending ones included) go with it.',
  request: { params: ChannelIdParamsSchema },
  responses: { 204: { description: 'Deleted.' }, ...guardedResponses(400, 404) },
});

const listDeliveries = createRoute({
  operationId: 'listChannelDeliveries',
  ...requires('read'),
  method: 'get',
  path: '/{id}/deliveries',
  tags: ['channels'],
  summary: "A channel's delivery log",
  description:
    'The 50 newest deliveries, newest first, each with its attempts (time, status, error).',
  request: { params: ChannelIdParamsSchema },
  responses: {
    200: jsonContent(ChannelDeliveryListSchema, 'The deliveries.'),
    ...guardedResponses(400, 404),
  },
});

const testChannel = createRoute({
  operationId: 'testChannel',
  ...requires('admin'),
  method: 'post',
  path: '/{id}/test',
  tags: ['channels'],
  summary: 'Send a test notification',
  description:
    "Sends a test message at once and answers with its delivery: `log` holds the receiver's status and the start of its answer. A failed test is retried like any other; a disabled channel sends nothing until enabled again.",
  request: { params: ChannelIdParamsSchema },
  responses: {
    200: jsonContent(ChannelDeliverySchema, 'The test delivery after its first attempt.'),
    ...guardedResponses(400, 404),
  },
});

export const channelsApi = createRouter()
  .openapi(listChannels, async (c) => {
    const channels = await c.get('services').channels.list(c.get('principal').projectId);
    return c.json({ data: channels.map(channelJson) }, 200);
  })
  .openapi(createChannel, async (c) => {
    const { type, config, ...rest } = c.req.valid('json');
    const channel = await c
      .get('services')
      .channels.create(
        { ...rest, config: parseChannelConfig(type, config) },
        c.get('principal').projectId,
      );
    c.header('Location', `/api/channels/${channel.id}`);
    return c.json(channelJson(channel), 201);
  })
  .openapi(getChannel, async (c) => {
    const channel = await c
      .get('services')
      .channels.get(c.req.valid('param').id, c.get('principal').projectId);
    return c.json(channelJson(channel), 200);
  })
  .openapi(updateChannel, async (c) => {
    const { id } = c.req.valid('param');
    const { config, ...rest } = c.req.valid('json');
    const scope = c.get('principal').projectId;
    const type = config && (await c.get('services').channels.get(id, scope)).config.type;
    const channel = await c
      .get('services')
      .channels.update(
        id,
        { ...rest, ...(config && type && { config: parseChannelConfig(type, config) }) },
        scope,
      );
    return c.json(channelJson(channel), 200);
  })
  .openapi(deleteChannel, async (c) => {
    await c.get('services').channels.delete(c.req.valid('param').id, c.get('principal').projectId);
    return c.body(null, 204);
  })
  .openapi(listDeliveries, async (c) => {
    const deliveries = await c
      .get('services')
      .channels.deliveries(c.req.valid('param').id, c.get('principal').projectId);
    return c.json({ data: deliveries.map(channelDeliveryJson) }, 200);
  })
  .openapi(testChannel, async (c) => {
    const delivery = await c
      .get('services')
      .channels.test(c.req.valid('param').id, c.get('principal').projectId);
    return c.json(channelDeliveryJson(delivery), 200);
  });
