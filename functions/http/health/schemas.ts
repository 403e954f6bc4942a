import { z } from 'zod';

/** `GET /health`'s answer: `ok`, or `error` with a 503 when the database does not answer. */
export const HealthSchema = z.object({ status: z.enum(['ok', 'error']) }).meta({ id: 'Health' });
