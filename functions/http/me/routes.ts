import { createRoute } from '@hono/zod-openapi';
import { isoTimeOrNull } from '../../../shared/iso-time.js';
import { createRouter, guardedResponses, jsonContent, requires } from '../openapi.js';
import { CurrentKeySchema } from './schemas.js';

/**
 * `GET /api/me`: who the presented key is and what it may do, so a client (the dashboard) can
 * show or hide actions without trying them. Never a secret.
 */

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
  const { keyId, name, scope, projectId, expiresAt } = c.get('principal');
  return c.json(
    { keyId, name, scope, projectId, expiresAt: isoTimeOrNull(expiresAt ?? null) },
    200,
  );
});
