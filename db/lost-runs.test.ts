import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openBetterSqlite } from './better-sqlite3.js';
import type { Database } from './database.js';
import { openLibsql } from './libsql.js';
import { describeLostRunDeadlinesContract } from '../test/db/lost-run-deadlines-contract.js';
import { describeLostRunsContract } from '../test/db/lost-runs-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'chronotrack-lost-runs-'));
const opened: Database[] = [];
let counter = 0;
afterAll(async () => {
  await Promise.all(opened.map((database) => database.close()));
  rmSync(dir, { recursive: true, force: true });
});

const keep = (database: Database) => (opened.push(database), database);

describeLostRunsContract('better-sqlite3 file', async () =>
  keep(openBetterSqlite(join(dir, `lost-${counter++}.db`))),
);
describeLostRunsContract('libSQL file', async () =>
  keep(await openLibsql({ url: `file:${join(dir, `lost-${counter++}.db`)}` })),
);
describeLostRunDeadlinesContract('better-sqlite3 file', async () =>
  keep(openBetterSqlite(join(dir, `lost-${counter++}.db`))),
);
describeLostRunDeadlinesContract('libSQL file', async () =>
  keep(await openLibsql({ url: `file:${join(dir, `lost-${counter++}.db`)}` })),
);
