import { z } from 'zod';
import { SCOPES } from '../../../shared/access.js';
import { idParams, IsoTimestamp as Timestamp, TimestampInput } from '../wire-primitives.js';

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
    expiresAt: Timestamp.nullable().meta({
      description: 'After this the key is refused (401, saying it expired); null: never.',
    }),
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

const KeyName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

const ExpiresAt = TimestampInput.transform((value) => new Date(value)).meta({
  description: 'When the key stops working: a time in the future.',
  example: '2027-06-30T00:00:00Z',
});

export const ApiKeyCreateSchema = z
  .strictObject({
    name: KeyName,
    scope: z.enum(SCOPES, { message: `must be one of ${SCOPES.join(', ')}` }),
    projectId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().meta({
      description: "Bind the key to one project: it sees and changes only that project's jobs.",
    }),
    expiresAt: ExpiresAt.optional(),
  })
  .meta({ example: { name: 'nightly cron on db-1', scope: 'write', projectId: 1 } });

export const ApiKeyUpdateSchema = z
  .strictObject({
    name: KeyName.optional(),
    expiresAt: ExpiresAt.nullable()
      .optional()
      .meta({ description: 'A new expiry in the future, or null: never expires.' }),
  })
  .meta({ example: { name: 'nightly cron on db-2', expiresAt: '2027-06-30T00:00:00Z' } });

export const KeyIdParamsSchema = idParams('id', 'Key id.');
