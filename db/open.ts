import type { Config } from '../shared/config.js';
import { openBetterSqlite } from './better-sqlite3.js';
import type { Database } from './database.js';
import { openLibsql, redactDatabaseUrl } from './libsql.js';

/**
 * The Node runtimes' database, chosen by configuration: libSQL when DATABASE_URL is set, else
 * the better-sqlite3 file at DATABASE_FILE. Either way the migrations are applied first.
 * `location` is safe to log: never the token, never URL credentials.
 */
export async function openConfiguredDatabase(
  config: Config,
): Promise<{ database: Database; location: string }> {
  if (config.DATABASE_URL) {
    const database = await openLibsql({
      url: config.DATABASE_URL,
      authToken: config.DATABASE_AUTH_TOKEN,
    });
    return { database, location: redactDatabaseUrl(config.DATABASE_URL) };
  }
  return { database: openBetterSqlite(config.DATABASE_FILE), location: config.DATABASE_FILE };
}
