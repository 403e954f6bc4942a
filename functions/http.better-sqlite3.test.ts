import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import { DrizzleJobRepository, DrizzleJobRunRepository } from '../db/drizzle-repositories.js';
import { createJsonLogger } from '../shared/logger.js';
import { createApp } from './app.js';
import { describeApiSuite } from './test-support/api-suite.js';
import type { ApiTarget } from './test-support/client.js';

describe('HTTP API on Node + better-sqlite3 (SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-http-'));
  const database = openBetterSqlite(join(dir, 'api.db'));
  let target: ApiTarget;

  beforeAll(() => {
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
