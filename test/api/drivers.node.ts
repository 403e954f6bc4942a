/**
 * The API tests' drivers in the `node` project (vitest.config.mts maps `#api-drivers` here):
 * better-sqlite3 and libSQL, each over a SQLite file of its own, through `app.request`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import type { Database } from '../../db/database.js';
import { openLibsql } from '../../db/libsql.js';
import { drizzleStores } from '../../db/stores.js';
import { createJsonLogger } from '../../shared/logger.js';
import { appOver, requestTarget } from '../support/apps.js';
import type { ApiDriver } from './driver.js';

function overFile(
  name: string,
  prefix: string,
  openFile: (file: string) => Database | Promise<Database>,
): ApiDriver {
  return {
    name,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      const database = await openFile(join(dir, 'api.db'));
      return {
        target: requestTarget(appOver(database)),
        stores: () => drizzleStores(database),
        appWith: (overrides) =>
          requestTarget(appOver(database, createJsonLogger({ silent: true }), overrides)),
        async close() {
          await database.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

export const drivers: ApiDriver[] = [
  overFile(
    'HTTP API on Node + better-sqlite3 (SQLite file)',
    'chronotrack-http-',
    openBetterSqlite,
  ),
  overFile('HTTP API on Node + libSQL (file: database)', 'chronotrack-libsql-', (file) =>
    openLibsql({ url: `file:${file}` }),
  ),
];
