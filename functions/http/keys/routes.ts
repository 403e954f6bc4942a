import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { SCOPES } from '../../../shared/access.js';
import type { ApiKeyRecord } from '../../../shared/repositories.js';
import { IdSchema } from '../schemas.js';
import { createRouter, guardedResponses, jsonBody, jsonContent, requires } from '../openapi.js';
import { IsoTimestamp as Timestamp } from '../wire-primitives.js';

const ApiKeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string().meta({
      description: 'The first characters of the key, to tell keys apart; never the whole key.',
      example: 'ct_Ab12Cd',
    }),
    scope: z.enum(SCOPES),
    projectId: z.number().int().nullable(),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable().meta({ description: 'Accurate to about a minute.' }),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });

const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().meta({
    description: 'The secret. Shown in this response only: store it now, it cannot be shown again.',
    example: 'ct_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90',
  }),
}).meta({ id: 'CreatedApiKey' });

const ApiKeyListSchema = z.object({ data: z.array(ApiKeySchema) }).meta({ id: 'ApiKeyList' });

const ApiKeyCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    scope: z.enum(SCOPES, { message: `must be one of ${SCOPES.join(', ')}` }),
    projectId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().meta({
      description: "Bind the key to one project: it sees and changes only that project's jobs.",
    }),
  })
  .meta({ example: { name: 'nightly cron on db-1', scope: 'write', projectId: 1 } });

const KeyIdParamsSchema = z.object({
  id: IdSchema.meta({ param: { name: 'id', in: 'path' }, example: '1', description: 'Key id.' }),
});

const keyJson = (key: ApiKeyRecord) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scope: key.scope,
  projectId: key.projectId,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
});

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

export const keysApi = createRouter()
  .openapi(listKeys, async (c) => {
    const keys = await c.var.services.apiKeys.list();
    return c.json({ data: keys.map(keyJson) }, 200);
  })
  .openapi(createKey, async (c) => {
    const { key, secret } = await c.var.services.apiKeys.create(c.req.valid('json'));
    c.header('Cache-Control', 'no-store');
    return c.json({ ...keyJson(key), key: secret }, 201);
  })
  .openapi(revokeKey, async (c) => {
    await c.var.services.apiKeys.revoke(c.req.valid('param').id);
    return c.body(null, 204);
  });
