import { z } from 'zod';
import { SCOPES } from '../../../shared/access.js';

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
  })
  .meta({ id: 'CurrentKey' });
