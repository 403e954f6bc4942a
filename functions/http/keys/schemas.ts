import { z } from 'zod';
import { SCOPES } from '../../../shared/access.js';
import { idParams, IsoTimestamp as Timestamp } from '../wire-primitives.js';

/** The API keys' wire shapes: `/keys`. A key's secret is in one answer only, its creation's. */

export const ApiKeySchema = z
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

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().meta({
    description: 'The secret. Shown in this response only: store it now, it cannot be shown again.',
    example: 'ct_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90',
  }),
}).meta({ id: 'CreatedApiKey' });

export const ApiKeyListSchema = z
  .object({ data: z.array(ApiKeySchema) })
  .meta({ id: 'ApiKeyList' });

export const ApiKeyCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    scope: z.enum(SCOPES, { message: `must be one of ${SCOPES.join(', ')}` }),
    projectId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().meta({
      description: "Bind the key to one project: it sees and changes only that project's jobs.",
    }),
  })
  .meta({ example: { name: 'nightly cron on db-1', scope: 'write', projectId: 1 } });

export const KeyIdParamsSchema = idParams('id', 'Key id.');
