import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { SCOPES } from '../../../shared/access.js';
import { createRouter, guardedResponses, jsonContent, requires } from '../openapi.js';

/**
 * `GET /api/me`: who the presented key is and what it may do, so a client (the dashboard) can
 * show or hide actions without trying them. Never a secret.
 */
const CurrentKeySchema = z
  .object({
    keyId: z.number().int().nullable().meta({
      description: 'The stored key; null for `ADMIN_API_KEY` and when `AUTH=off`.',
    }),
    name: z.string(),
    scope: z.enum(SCOPES),
    projectId: z.number().int().nullable().meta({
      description: 'The only project this key sees; null: every project.',
    }),
  })
  .meta({ id: 'CurrentKey' });

const getCurrentKey = createRoute({
  operationId: 'getCurrentKey',
  ...requires('read'),
  method: 'get',
  path: '/',
  tags: ['keys'],
  summary: 'The calling key: its name, scope and project',
  responses: { 200: jsonContent(CurrentKeySchema, 'The calling key.'), ...guardedResponses() },
});

export const meApi = createRouter().openapi(getCurrentKey, (c) => {
  const { keyId, name, scope, projectId } = c.var.principal;
  return c.json({ keyId, name, scope, projectId }, 200);
});
