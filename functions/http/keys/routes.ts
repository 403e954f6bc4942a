import { createRoute } from '@hono/zod-openapi';
import { createRouter, guardedResponses, jsonBody, jsonContent, requires } from '../openapi.js';
import { keyJson } from './presenters.js';
import {
  ApiKeyCreateSchema,
  ApiKeyListSchema,
  ApiKeySchema,
  ApiKeyUpdateSchema,
  CreatedApiKeySchema,
  KeyIdParamsSchema,
} from './schemas.js';

const listKeys = createRoute({
  operationId: 'listKeys',
  ...requires('admin'),
  method: 'get',
  path: '/',
  tags: ['keys'],
  summary: 'List API keys',
  description: 'Every key, revoked ones included, oldest first. Never secrets, never hashes.',
  responses: { 200: jsonContent(ApiKeyListSchema, 'The keys.'), ...guardedResponses() },
});

const createKey = createRoute({
  operationId: 'createKey',
  ...requires('admin'),
  method: 'post',
  path: '/',
  tags: ['keys'],
  summary: 'Create an API key',
  description:
    'The response holds the key itself in `key`, once. Only its SHA-256 is stored. Admin keys cannot be bound to a project.',
  request: { body: jsonBody(ApiKeyCreateSchema) },
  responses: {
    201: jsonContent(CreatedApiKeySchema, 'The created key, with its secret.'),
    ...guardedResponses(400, 404, 413, 415),
  },
});

const revokeKey = createRoute({
  operationId: 'revokeKey',
  ...requires('admin'),
  method: 'delete',
  path: '/{id}',
  tags: ['keys'],
  summary: 'Revoke an API key',
  description:
    'The key stops working at once on the server that answers, and within 10 seconds on every other process or Worker isolate. Revoking a revoked key changes nothing.',
  request: { params: KeyIdParamsSchema },
  responses: { 204: { description: 'Revoked.' }, ...guardedResponses(400, 404) },
});

const updateKey = createRoute({
  operationId: 'updateKey',
  ...requires('admin'),
  method: 'patch',
  path: '/{id}',
  tags: ['keys'],
  summary: 'Rename an API key or change when it expires',
  description:
    '`expiresAt`: a time in the future, or null for never. Applies at once on the server that answers, within 10 seconds elsewhere.',
  request: { params: KeyIdParamsSchema, body: jsonBody(ApiKeyUpdateSchema) },
  responses: {
    200: jsonContent(ApiKeySchema, 'The changed key.'),
    ...guardedResponses(400, 404, 413, 415),
  },
});

export const keysApi = createRouter()
  .openapi(listKeys, async (c) => {
    const keys = await c.get('services').apiKeys.list();
    return c.json({ data: keys.map(keyJson) }, 200);
  })
  .openapi(createKey, async (c) => {
    const { key, secret } = await c.get('services').apiKeys.create(c.req.valid('json'));
    c.header('Cache-Control', 'no-store');
    return c.json({ ...keyJson(key), key: secret }, 201);
  })
  .openapi(updateKey, async (c) => {
    const key = await c
      .get('services')
      .apiKeys.update(c.req.valid('param').id, c.req.valid('json'));
    return c.json(keyJson(key), 200);
  })
  .openapi(revokeKey, async (c) => {
    await c.get('services').apiKeys.revoke(c.req.valid('param').id);
    return c.body(null, 204);
  });
