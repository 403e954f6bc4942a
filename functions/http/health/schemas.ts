import { z } from 'zod';

/**
 * `GET /health`'s answer: `ok`; `degraded` (still 200) when the database answers but refuses
 * writes because its volume is full; `error` with a 503 when the database does not answer.
 */
export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'error']),
    storage: z.enum(['full']).optional().meta({
      description:
        'With `degraded`: `full` when the database volume is full. Writes answer 507 `STORAGE_FULL` until space is freed; reads still work.',
    }),
  })
  .meta({ id: 'Health' });
