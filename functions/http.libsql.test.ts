import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Database } from '../db/database.js';
import { openLibsql } from '../db/libsql.js';
import { drizzleStores } from '../db/stores.js';
import { createJsonLogger } from '../shared/logger.js';
import { describeApiSuite } from '../test/api/api-suite.js';
import { appOver, requestTarget } from '../test/support/apps.js';
import type { ApiTarget } from '../test/support/client.js';

describe('HTTP API on Node + libSQL (file: database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-libsql-'));
  let database: Database;
  let target: ApiTarget;

  beforeAll(async () => {
    database = await openLibsql({ url: `file:${join(dir, 'api.db')}` });
    target = requestTarget(appOver(database));
  });
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
