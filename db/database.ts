import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';

/**
 * A Drizzle database over any of our drivers. better-sqlite3 is synchronous, D1 and libSQL are
 * asynchronous; the repositories only `await` query builders, which works for both.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = BaseSQLiteDatabase<'sync' | 'async', any, typeof schema>;

/**
 * How the repositories write: `run` executes one write (a Drizzle `.all()`/`.run()` on `db`) and
 * settles once it is durable. On better-sqlite3 that is a group commit on the writer connection;
 * on D1 and libSQL every statement is its own transaction, so `run` just awaits it.
 */
export interface Writes {
  db: Db;
  run<T>(statement: () => T): Promise<Awaited<T>>;
}

/** Each statement commits by itself: what D1 and libSQL do. */
export const directWrites = (db: Db): Writes => ({
  db,
  run: <T>(statement: () => T) => Promise.resolve(statement()) as Promise<Awaited<T>>,
});

/** What every adapter hands the runtime entry: the database, a health probe and a way to close it. */
export interface Database {
  /** Reads (on better-sqlite3 a connection of their own, which sees only committed writes). */
  db: Db;
  writes: Writes;
  driver: 'better-sqlite3' | 'libsql' | 'd1';
  probe(): Promise<void>;
  close(): Promise<void>;
}
