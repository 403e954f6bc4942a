import { drizzle } from 'drizzle-orm/d1';
import type { D1Database } from '@cloudflare/workers-types';
import { directDatabase, type BatchDb, type Database } from './database.js';
import * as schema from './schema.js';

/**
 * Drizzle over a D1 binding. Migrations are not applied here: on Workers they are applied with
 * `wrangler d1 migrations apply` (locally by `npm run dev:worker`, remotely before a deploy).
 */
export function openD1(binding: D1Database): Database {
  // A D1 binding belongs to the runtime; there is nothing to close.
  return directDatabase(drizzle(binding, { schema }) as BatchDb, 'd1', () => {});
}
