/**
 * What the `slow` flag costs, in process: a run's finish (`updateIf` to SUCCESS, which now also
 * computes the job's slow threshold in the same UPDATE) and the sweep's slow-run statement, over
 * a real better-sqlite3 file with group commit, no HTTP, 32 calls in flight. Every job has more
 * than 50 finished runs, so each finish probes a full sample. Run it on a commit before the flag
 * for the "before" figure (the script only uses what both have).
 *   npx tsx bench/slow-cost.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import { DrizzleRunSweepRepository } from '../db/run-sweeps.js';
import { drizzleStores } from '../db/stores.js';
import { CONCURRENCY, createBenchJobs, openBenchRuns, perCall } from './in-process.js';

const JOBS = 100;
const FINISHED_PER_JOB = 200;
const OPEN_RUNS = 2_000;
const REPEATS = 5;

const dir = mkdtempSync(join(tmpdir(), 'chronotrack-slow-cost-'));
const database = openBetterSqlite(join(dir, 'bench.db'));
const stores = drizzleStores(database);
let clock = Date.parse('2026-01-01T00:00:00Z');

const jobIds = await createBenchJobs(stores.jobs, JOBS, new Date(clock));
const insertFinished = database.sqlite.prepare(
  "INSERT INTO job_runs (job_id, status, created_at, started_at, finished_at) VALUES (?, 'SUCCESS', ?, ?, ?)",
);
database.sqlite.transaction(() => {
  for (let i = 0; i < JOBS * FINISHED_PER_JOB; i++) {
    const at = clock - (JOBS * FINISHED_PER_JOB - i) * 1000;
    insertFinished.run(jobIds[i % JOBS], at, at, at + 1000 + (i % 97) * 10);
  }
})();

const openRuns = () => openBenchRuns(stores.runs, jobIds, OPEN_RUNS, new Date(clock));

const finishes: number[] = [];
for (let r = 0; r < REPEATS; r++) {
  const open = await openRuns();
  clock += 1500; // under each job's threshold (~3 x 1.9 s): the finish computes it, flags nothing
  finishes.push(
    await perCall(open, (run) =>
      stores.runs.updateIf(
        run.id,
        { statuses: ['RUNNING'], startedAt: run.startedAt },
        { status: 'SUCCESS', finishedAt: new Date(clock) },
      ),
    ),
  );
}

// The sweep's slow statement over OPEN_RUNS RUNNING runs that are not slow yet (none flagged).
const sweeps = new DrizzleRunSweepRepository(database) as Partial<DrizzleRunSweepRepository>;
let slowSweep: number | null = null;
if (sweeps.flagSlowRuns) {
  await openRuns();
  const figures: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const began = process.cpuUsage();
    const flagged = await sweeps.flagSlowRuns(new Date(clock + 1), 500);
    const used = process.cpuUsage(began);
    if (flagged.length > 0) throw new Error('the bench expects no run to be slow');
    figures.push(used.user + used.system);
  }
  slowSweep = Math.min(...figures);
}

console.log(
  JSON.stringify(
    {
      jobs: JOBS,
      finishedRunsPerJob: FINISHED_PER_JOB,
      concurrency: CONCURRENCY,
      microsPerRunFinish: Math.round(Math.min(...finishes) * 10) / 10,
      microsPerRunFinishAll: finishes.map((f) => Math.round(f * 10) / 10),
      microsPerSlowSweepOverOpenRuns: slowSweep,
      openRuns: OPEN_RUNS,
      node: process.version,
    },
    null,
    2,
  ),
);
await database.close();
rmSync(dir, { recursive: true, force: true });
