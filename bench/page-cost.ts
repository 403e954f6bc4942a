/**
 * Issue 26's page levers in process, on the side-by-side seed (30,000 runs over 100 jobs): the
 * job check a page of runs no longer makes (`jobs.exists`, beside the page's own read); the ETag's
 * counter read by the page's own statement (`runs.listOfJob`) against a statement of its own
 * before the page (`jobs.runChanges` then `runs.list`); and a 50-run page serialized by
 * `runPageText` against `JSON.stringify(pageJson(page, runJson))`, alternated round by round.
 * CPU µs per call (process.cpuUsage), median and minimum over rounds.
 *   npx tsx bench/page-cost.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import { drizzleStores } from '../db/stores.js';
import { runJson } from '../functions/http/runs/presenters.js';
import { runPageText } from '../functions/http/runs/run-json-text.js';
import { pageJson } from '../functions/http/wire-primitives.js';
import { seed } from './seed.js';
import { SIDE_BY_SIDE_RUNS } from './side-by-side.js';

const ROUNDS = 15;
const dir = mkdtempSync(join(tmpdir(), 'chronotrack-page-cost-'));
const file = join(dir, 'bench.db');
seed({ file, jobs: 100, runs: SIDE_BY_SIDE_RUNS, runningForPatch: 0 });
const stores = drizzleStores(openBetterSqlite(file));
const sort = { field: 'createdAt', descending: true } as const;

async function perCall(calls: number, op: () => unknown): Promise<number> {
  const began = process.cpuUsage();
  for (let i = 0; i < calls; i++) await op();
  const used = process.cpuUsage(began);
  return (used.user + used.system) / calls;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const cell = (values: number[]) =>
  `median ${median(values).toFixed(1)} µs, min ${Math.min(...values).toFixed(1)} µs`;

const page = {
  data: await stores.runs.list({ jobId: 7, sort, limit: 50 }),
  nextCursor: 'eyJrIjoxNzY0OTk5OTk5OTk5LCJpZCI6MTIzNDV9',
};
const plain = () => JSON.stringify(pageJson(page, runJson));
if (runPageText(page) !== plain()) throw new Error('runPageText differs from JSON.stringify');

const exists: number[] = [];
const read: number[] = [];
const counterApart: number[] = [];
const counterInPage: number[] = [];
const stringify: number[] = [];
const text: number[] = [];
await perCall(2_000, plain);
await perCall(2_000, () => runPageText(page));
for (let round = 0; round < ROUNDS; round++) {
  exists.push(await perCall(5_000, () => stores.jobs.exists(7, null)));
  read.push(await perCall(1_000, () => stores.runs.list({ jobId: 7, sort, limit: 51 })));
  counterApart.push(
    await perCall(1_000, async () => {
      await stores.jobs.runChanges(7, null);
      await stores.runs.list({ jobId: 7, sort, limit: 51 });
    }),
  );
  counterInPage.push(
    await perCall(1_000, () => stores.runs.listOfJob({ jobId: 7, sort, limit: 51 })),
  );
  stringify.push(await perCall(2_000, plain));
  text.push(await perCall(2_000, () => runPageText(page)));
}
console.log(`a page's read (51 rows): ${cell(read)}`);
console.log(`the job check it no longer makes (jobs.exists): ${cell(exists)}`);
console.log(
  `the page with its ETag's counter: two statements ${cell(counterApart)}; one ${cell(counterInPage)}`,
);
console.log(
  `a ${page.data.length}-run page (${runPageText(page).length} bytes) serialized: JSON.stringify ${cell(stringify)}; runPageText ${cell(text)}`,
);
rmSync(dir, { recursive: true, force: true });
