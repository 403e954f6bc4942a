import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openBetterSqlite } from './better-sqlite3.js';
import { openLibsql } from './libsql.js';
import { DrizzleJobRepository, DrizzleJobRunRepository } from './drizzle-repositories.js';
import { describeRepositoryContract } from '../test/db/repository-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'chronotrack-repo-'));
const opened: Array<{ close(): Promise<void> }> = [];
let counter = 0;
afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
  rmSync(dir, { recursive: true, force: true });
});

describeRepositoryContract('drizzle + better-sqlite3 file', async () => {
  const database = openBetterSqlite(join(dir, `contract-${counter++}.db`));
  opened.push(database);
  return {
    jobs: new DrizzleJobRepository(database),
    runs: new DrizzleJobRunRepository(database),
  };
});

describeRepositoryContract('drizzle + libSQL file', async () => {
  const database = await openLibsql({ url: `file:${join(dir, `contract-${counter++}.db`)}` });
  opened.push(database);
  return {
    jobs: new DrizzleJobRepository(database),
    runs: new DrizzleJobRunRepository(database),
  };
});
