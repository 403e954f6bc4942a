import { sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { StoreHealth } from '../shared/repositories.js';
import type * as schema from './schema.js';
import { asStorageError, untrackedStorage, type StorageState } from './storage.js';

/**
 * A Drizzle database over any of our drivers. better-sqlite3 is synchronous, D1 and libSQL are
 * asynchronous; the repositories only `await` query builders, which works for both.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = BaseSQLiteDatabase<'sync' | 'async', any, typeof schema>;

/**
 * A statement for `Writes.batch`, with RETURNING, in the two forms the drivers take: D1 and
 * libSQL batch Drizzle queries with their values inlined; better-sqlite3 runs it synchronously,
 * prepared once per shape (building Drizzle's SQL costs more than SQLite takes to run it).
 */
export interface BatchStatement {
  build(): BatchItem<'sqlite'>;
  /** Runs it now on `Writes.db` and returns its rows (better-sqlite3). */
  run(): unknown;
}

/**
 * How the repositories write: `run` executes one write (a Drizzle `.all()`/`.run()` on `db`) and
 * settles once it is durable. On better-sqlite3 that is a group commit on the writer connection;
 * on D1 and libSQL every statement is its own transaction, so `run` just awaits it.
 *
 * `batch` runs several statements in order in one commit, all or none, and resolves with each
 * one's rows: the way to make writes land together without `db.transaction()` (which D1 lacks).
 * A later statement cannot see an earlier one's result in JavaScript, only in SQL (its rows,
 * `changes()`, `last_insert_rowid()`): on D1 and libSQL the batch is sent whole.
 */
export interface Writes {
  db: Db;
  run<T>(statement: () => T): Promise<Awaited<T>>;
  batch(statements: readonly [BatchStatement, ...BatchStatement[]]): Promise<unknown[][]>;
}

/** What D1's and libSQL's Drizzle databases have and the shared `Db` type does not name. */
export type BatchDb = Db & {
  batch(statements: readonly [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]): Promise<unknown[]>;
};

/**
 * Each statement commits by itself, and a batch is one transaction (D1's `batch`, libSQL's
 * `batch` in write mode): what D1 and libSQL do.
 */
export const directWrites = (db: BatchDb): Writes => ({
  db,
  run: async <T>(statement: () => T): Promise<Awaited<T>> => {
    try {
      return await statement();
    } catch (error) {
      throw asStorageError(error);
    }
  },
  batch: async ([first, ...rest]) => {
    try {
      return (await db.batch([
        first.build(),
        ...rest.map((statement) => statement.build()),
      ])) as unknown[][];
    } catch (error) {
      throw asStorageError(error);
    }
  },
});

/** What every adapter hands the runtime entry: the database, a health probe and a way to close it. */
export interface Database {
  /** Reads (on better-sqlite3 a connection of their own, which sees only committed writes). */
  db: Db;
  writes: Writes;
  driver: 'better-sqlite3' | 'libsql' | 'd1';
  /**
   * Whether writes are refused for want of space, as this process's writes found it
   * (better-sqlite3; D1 and libSQL refuse such a write with STORAGE_FULL but keep no state).
   */
  storage: StorageState;
  probe(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/**
 * A `Database` over a driver whose statements each commit by themselves (D1, libSQL): direct
 * writes, a `select 1` probe, and `close` for whatever the driver holds.
 */
export const directDatabase = (
  db: BatchDb,
  driver: 'libsql' | 'd1',
  close: () => void,
): Database => ({
  db,
  writes: directWrites(db),
  driver,
  storage: untrackedStorage,
  async probe() {
    await db.run(sql`select 1`);
    return { storageFull: false };
  },
  async close() {
    close();
  },
});
