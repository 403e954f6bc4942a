import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Database } from './database.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { MIGRATIONS_DIR } from './migrations-dir.js';
import { preparePrivateDatabaseFile } from './private-file.js';
import * as schema from './schema.js';
import { StorageMonitor } from './storage.js';

export interface BetterSqliteOptions {
  /** Apply pending migrations on open (the default; the server always does). */
  migrate?: boolean;
  /** Group commit settings (tests make batches visible through `onCommit`). */
  groupCommit?: GroupCommitOptions;
}

export type BetterSqliteDatabase = Database & {
  /** The writer connection (migrations, tests, the bench seed). */
  sqlite: BetterSqlite3.Database;
  /** The connection reads go through (the writer itself for `:memory:`). */
  reader: BetterSqlite3.Database;
  groupCommit: GroupCommit;
};

/**
 * Opens (creating if needed) a SQLite file with the pragmas a write-heavy server wants, and applies
 * the migrations. The directory is created when missing so `npm start` needs no other step, and
 * the file is readable by its owner only (db/private-file.ts).
 *
 * Two connections: the writer, whose writes share transactions through group commit, and a
 * reader. In WAL mode the reader sees only committed data, so no response ever shows a write
 * that its batch's COMMIT could still lose (`:memory:` has one connection, so it reads through
 * the writer).
 */
export function openBetterSqlite(
  file: string,
  options: BetterSqliteOptions = {},
): BetterSqliteDatabase {
  if (file !== ':memory:') preparePrivateDatabaseFile(file);
  const sqlite = connect(file);
  const writerDb = drizzle({ client: sqlite, schema });
  if (options.migrate !== false) applyMigrations(sqlite);

  const reader = file === ':memory:' ? sqlite : connect(file);
  // The reader never writes: a bug that tried would fail here instead of bypassing group commit.
  if (reader !== sqlite) reader.pragma('query_only = ON');
  const db = reader === sqlite ? writerDb : drizzle({ client: reader, schema });
  // Rows changed by this connection so far (committed or not): the storage monitor's proof
  // that a commit after a refusal really wrote something.
  const totalChanges = () =>
    (sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const storage = new StorageMonitor(totalChanges);
  const onCommit = options.groupCommit?.onCommit;
  const groupCommit = new GroupCommit(sqlite, {
    ...options.groupCommit,
    onCommit: (writes) => {
      storage.committed();
      onCommit?.(writes);
    },
  });
  // Every write's failure passes here: a full volume becomes the domain's STORAGE_FULL.
  const write = <T>(statement: () => T): Promise<T> =>
    groupCommit.write(statement).catch((error: unknown) => {
      throw storage.failed(error);
    });

  return {
    db,
    writes: {
      db: writerDb,
      run: (statement) => write(statement) as never,
      // One group-commit write: the statements share its savepoint, so they commit (or roll
      // back) together, and nothing else runs between them.
      batch: (statements) =>
        write(() => statements.map((statement) => statement.run() as unknown[])),
    },
    sqlite,
    reader,
    groupCommit,
    driver: 'better-sqlite3',
    storage,
    async probe() {
      db.all(sql`select 1`);
      return { storageFull: storage.full };
    },
    async close() {
      if (sqlite.open) {
        groupCommit.flush();
        sqlite.close();
      }
      if (reader.open) reader.close();
    },
  };
}

/**
 * Drizzle's migrator, with its read inside the transaction. Drizzle's reads the last applied
 * migration before its (deferred) BEGIN, so two processes starting at once on a new file could
 * both decide to apply 0000, and one crashed with "table job_runs already exists" (3 starts in 64
 * here). Here the read and the migrations share one BEGIN IMMEDIATE: the second process waits in
 * busy_timeout, then finds everything applied. Same bookkeeping table and rows as Drizzle's.
 */
function applyMigrations(sqlite: BetterSqlite3.Database): void {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  const apply = sqlite.transaction(() => {
    sqlite.exec(
      'CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)',
    );
    const [last] = sqlite
      .prepare('SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1')
      .all() as Array<{ created_at: number | string }>;
    const record = sqlite.prepare(
      'INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)',
    );
    for (const migration of migrations) {
      if (last && Number(last.created_at) >= migration.folderMillis) continue;
      for (const statement of migration.sql) sqlite.exec(statement);
      record.run(migration.hash, migration.folderMillis);
    }
  });
  apply.immediate();
}

function connect(file: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL'); // safe with WAL: a crash can lose the last commits, never corrupt
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // After each checkpoint, truncate the WAL back to at most 64 MiB so it cannot grow for ever.
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  reuseStatements(sqlite);
  return sqlite;
}

const MAX_CACHED_STATEMENTS = 1000;

/**
 * Drizzle prepares a new statement for every query. Reusing one statement per distinct SQL text
 * saves the re-prepare (Drizzle's queries are parameterized, so the set of SQL texts stays
 * small). It was also the mitigation for better-sqlite3 12 aborting on Node >= 24.19 when the GC
 * finalized a Statement (`RemoveEnvironmentCleanupHook`); better-sqlite3 13, used since the move
 * to Node 24, fixes that itself.
 */
function reuseStatements(sqlite: BetterSqlite3.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, BetterSqlite3.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = prepare(source);
      if (cache.size < MAX_CACHED_STATEMENTS) cache.set(source, statement);
    }
    // Drizzle switches a statement to raw mode for some reads; start every use from the default.
    return statement.reader ? statement.raw(false) : statement;
  }) as typeof sqlite.prepare;
}
