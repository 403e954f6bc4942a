import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { directDatabase, type BatchDb, type Database } from './database.js';
import { MIGRATIONS_DIR } from './migrations-dir.js';
import { preparePrivateDatabaseFile } from './private-file.js';
import * as schema from './schema.js';

export interface LibsqlOptions {
  url: string;
  authToken?: string;
  migrate?: boolean;
}

/**
 * Drizzle over @libsql/client: a local `file:` database, or a remote libSQL server
 * (`libsql://`, `http(s)://`, `ws(s)://`) shared by several Node processes.
 */
export async function openLibsql(options: LibsqlOptions): Promise<Database> {
  if (options.url.startsWith('file:')) {
    preparePrivateDatabaseFile(fileURLToPath(new URL(options.url, `file://${process.cwd()}/`)));
  }
  const client = createClient({ url: options.url, authToken: options.authToken });
  if (options.url.startsWith('file:')) {
    // Same durability trade-off as the better-sqlite3 default; remote servers manage their own.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA synchronous = NORMAL');
    await client.execute('PRAGMA busy_timeout = 5000');
  }
  await client.execute('PRAGMA foreign_keys = ON');
  const db = drizzle(client, { schema });
  if (options.migrate !== false) await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return directDatabase(db as BatchDb, 'libsql', () => client.close());
}

/** The URL with any credentials and query string removed, safe to log. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return url.replace(/\?.*$/, '');
  }
}
