import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import { drizzleStores } from '../db/stores.js';
import { createJsonLogger } from '../shared/logger.js';
import { describeApiSuite } from '../test/api/api-suite.js';
import { appOver, requestTarget } from '../test/support/apps.js';

describe('HTTP API on Node + better-sqlite3 (SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-http-'));
  const database = openBetterSqlite(join(dir, 'api.db'));
  const target = requestTarget(appOver(database));
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describeApiSuite(
    () => target,
    () => ({
      stores: () => drizzleStores(database),
      appWith: (overrides) =>
        requestTarget(appOver(database, createJsonLogger({ silent: true }), overrides)),
    }),
  );
});
