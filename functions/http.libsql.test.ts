import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Database } from '../db/database.js';
import { DrizzleJobRepository, DrizzleJobRunRepository } from '../db/drizzle-repositories.js';
import { openLibsql } from '../db/libsql.js';
import { createJsonLogger } from '../shared/logger.js';
import { createApp } from './app.js';
import { describeApiSuite } from './test-support/api-suite.js';
import type { ApiTarget } from './test-support/client.js';

describe('HTTP API on Node + libSQL (file: database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-libsql-'));
  let database: Database;
  let target: ApiTarget;

  beforeAll(async () => {
    database = await openLibsql({ url: `file:${join(dir, 'api.db')}` });
    const app = createApp({
      jobs: new DrizzleJobRepository(database.db),
      runs: new DrizzleJobRunRepository(database.db),
      probe: database.probe,
      logger: createJsonLogger({ silent: true }),
    });
    target = { fetch: (path, init) => Promise.resolve(app.request(path, init)) };
  });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describeApiSuite(() => target);
});
