import { z } from 'zod';
import { SCOPES } from '../../../shared/access.js';
import { IsoTimestamp } from '../wire-primitives.js';

/** `GET /me`'s answer: the presented key, never its secret. */
export const CurrentKeySchema = z
  .object({
    keyId: z.number().int().nullable().meta({
      description: 'The stored key; null for `ADMIN_API_KEY` and when `AUTH=off`.',
    }),
    name: z.string(),
    scope: z.enum(SCOPES),
    projectId: z.number().int().nullable().meta({
      description: 'The only project this key sees; null: every project.',
    }),
    expiresAt: IsoTimestamp.nullable().meta({
      description: 'When this key stops working; null: never (and for `ADMIN_API_KEY`).',
    }),
  })
  .meta({ id: 'CurrentKey' });
