/**
 * What a heartbeat and a sweep cost, in process: the repositories and services over a real
 * better-sqlite3 file with group commit, no HTTP. Heartbeats go 32 at a time, as concurrent
 * requests reach group commit; a run's finish (which fires the job_metrics trigger) is measured
 * the same way for comparison.
 *   npx tsx bench/heartbeat-cost.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import { DrizzleRunSweepRepository } from '../db/run-sweeps.js';
import { drizzleStores } from '../db/stores.js';
import { CONCURRENCY, createBenchJobs, openBenchRuns, perCall } from './in-process.js';
import { createJsonLogger } from '../shared/logger.js';
import { RunService, RunSweeper } from '../shared/services/index.js';

const JOBS = 100;
const OPEN_RUNS = 2_000;
const FINISHED_RUNS = 100_000;
const REPEATS = 5;

const dir = mkdtempSync(join(tmpdir(), 'chronotrack-heartbeat-cost-'));
const database = openBetterSqlite(join(dir, 'bench.db'));
const stores = drizzleStores(database);
const logger = createJsonLogger({ silent: true });
let clock = Date.parse('2026-01-01T00:00:00Z');
const service = new RunService(stores.jobs, stores.runs, () => new Date(clock), logger);

const best = async (measure: () => Promise<number>) => {
  const figures: number[] = [];
  for (let i = 0; i < REPEATS; i++) figures.push(await measure());
  return Math.min(...figures);
};

const jobIds = await createBenchJobs(stores.jobs, JOBS, new Date(clock));
// History: finished runs the sweep must never visit, then the open runs heartbeats go to.
const insertFinished = database.sqlite.prepare(
  "INSERT INTO job_runs (job_id, status, created_at, started_at, finished_at) VALUES (?, 'SUCCESS', ?, ?, ?)",
);
database.sqlite.transaction(() => {
  for (let i = 0; i < FINISHED_RUNS; i++)
    insertFinished.run(jobIds[i % JOBS], clock - i, clock - i, clock - i + 1000);
})();
const open = await openBenchRuns(stores.runs, jobIds, OPEN_RUNS, new Date(clock));

const written = await best(async () => {
  clock += 10_000; // past every run's write interval: each call writes
  return perCall(open, (run) => stores.runs.recordHeartbeat(run.id, new Date(clock)));
});
const throttled = await best(async () => {
  clock += 1; // inside the interval: the UPDATE matches nothing
  return perCall(open, (run) => stores.runs.recordHeartbeat(run.id, new Date(clock)));
});
const serviceThrottled = await best(async () => {
  clock += 1; // the whole 204 path of a throttled heartbeat: the UPDATE, then the read
  return perCall(open, (run) => service.heartbeat(run.id, null));
});
const emptySweep = await best(async () => {
  const sweeper = new RunSweeper(new DrizzleRunSweepRepository(database), logger);
  const began = process.cpuUsage();
  await sweeper.sweep(new Date(clock)); // no job has limits: reads no open run, fails none
  const used = process.cpuUsage(began);
  return used.user + used.system;
});
// The same sweep's lost-run statement alone (the slow-run one is most of the sweep above).
const emptyLostRunStatement = await best(async () => {
  const began = process.cpuUsage();
  await new DrizzleRunSweepRepository(database).failLostRuns(new Date(clock), 500);
  const used = process.cpuUsage(began);
  return used.user + used.system;
});
const finishes = await perCall(open, (run) =>
  stores.runs.updateIf(
    run.id,
    { statuses: ['RUNNING'], startedAt: run.startedAt },
    { status: 'SUCCESS', finishedAt: new Date(clock) },
  ),
);

console.log(
  JSON.stringify(
    {
      openRuns: OPEN_RUNS,
      finishedRuns: FINISHED_RUNS,
      concurrency: CONCURRENCY,
      microsPerWrittenHeartbeat: Math.round(written * 10) / 10,
      microsPerThrottledHeartbeat: Math.round(throttled * 10) / 10,
      microsPerThrottledHeartbeatThroughService: Math.round(serviceThrottled * 10) / 10,
      microsPerRunFinish: Math.round(finishes * 10) / 10,
      microsPerSweepWithNothingToFail: Math.round(emptySweep),
      microsPerLostRunStatementWithNothingToFail: Math.round(emptyLostRunStatement),
      node: process.version,
    },
    null,
    2,
  ),
);
await database.close();
rmSync(dir, { recursive: true, force: true });
