import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';

/**
 * A Drizzle database over any of our drivers. better-sqlite3 is synchronous, D1 and libSQL are
 * asynchronous; the repositories only `await` query builders, which works for both.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = BaseSQLiteDatabase<'sync' | 'async', any, typeof schema>;

/** What every adapter hands the runtime entry: the database, a health probe and a way to close it. */
export interface Database {
  db: Db;
  driver: 'better-sqlite3' | 'libsql' | 'd1';
  probe(): Promise<void>;
  close(): Promise<void>;
}
