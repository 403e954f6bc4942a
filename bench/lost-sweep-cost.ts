/**
 * What one lost-run sweep statement (`failLostRuns`) costs when it fails nothing, in process:
 * the Drizzle repository over a real better-sqlite3 file with group commit, no HTTP. Each case is
 * a fresh file of 100 jobs (unless it says otherwise) and N RUNNING runs that are not lost; CPU ms
 * (user + system) of one statement, best of 5.
 *   npx tsx bench/lost-sweep-cost.ts [runs...]   (default: 2000 200000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import { DrizzleRunSweepRepository } from '../db/run-sweeps.js';
import { drizzleStores } from '../db/stores.js';
import { createBenchJobs } from './in-process.js';
import type { JobLimits } from '../shared/repositories.js';

const JOBS = 100;
const REPEATS = 5;
const NOW = Date.parse('2026-01-01T00:00:00Z');

/** The runs' shape per case: who owns them and how old they are. */
interface Case {
  name: string;
  limits: Partial<JobLimits>;
  ageMs: (i: number) => number;
  /** Jobs of the file (JOBS by default); the runs go round them. */
  jobs?: number;
  /** Only every n-th job gets `limits` (every job by default). */
  limitedEvery?: number;
}
const CASES: Case[] = [
  // The worst the issue names: every run younger than the job's only limit (created in the last 30 s).
  {
    name: 'young, heartbeat limit 60 s',
    limits: { heartbeatTimeoutSeconds: 60 },
    ageMs: (i) => i % 30_000,
  },
  // Jobs with no limit can have no lost run, whatever the age of their runs.
  { name: 'jobs without limits', limits: {}, ageMs: (i) => 3_600_000 + i },
  // Still a candidate range: old runs of a job with a limit that heartbeat in time are read and kept.
  {
    name: 'old, beating, heartbeat limit 60 s',
    limits: { heartbeatTimeoutSeconds: 60 },
    ageMs: (i) => 3_600_000 + i,
  },
  // What the new statement pays per job: 10,000 jobs, a tenth with a limit, young runs.
  {
    name: '10,000 jobs, a tenth with heartbeat limit 60 s, young',
    limits: { heartbeatTimeoutSeconds: 60 },
    ageMs: (i) => i % 30_000,
    jobs: 10_000,
    limitedEvery: 10,
  },
];

async function measure(runs: number, { limits, ageMs, jobs = JOBS, limitedEvery = 1 }: Case) {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-lost-sweep-'));
  const database = openBetterSqlite(join(dir, 'bench.db'));
  try {
    const stores = drizzleStores(database);
    const jobIds = await createBenchJobs(stores.jobs, jobs, new Date(NOW - 86_400_000), (j) =>
      j % limitedEvery === 0 ? limits : {},
    );
    // Every run heartbeat 1 s ago, so none is lost under any limit of the cases.
    const insert = database.sqlite.prepare(
      "INSERT INTO job_runs (job_id, status, created_at, started_at, last_heartbeat_at) VALUES (?, 'RUNNING', ?, ?, ?)",
    );
    database.sqlite.transaction(() => {
      for (let i = 0; i < runs; i++) {
        const created = NOW - ageMs(i);
        insert.run(jobIds[i % jobs], created, created, Math.max(created, NOW - 1000));
      }
    })();
    const sweeps = new DrizzleRunSweepRepository(database);
    const figures: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const began = process.cpuUsage();
      const failed = await sweeps.failLostRuns(new Date(NOW), 500);
      const used = process.cpuUsage(began);
      if (failed.length > 0)
        throw new Error(`the bench's runs are not lost, ${failed.length} failed`);
      figures.push((used.user + used.system) / 1000);
    }
    return Math.round(Math.min(...figures) * 100) / 100;
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const sizes = process.argv.slice(2).map(Number);
const results: Record<string, Record<string, number>> = {};
for (const runs of sizes.length > 0 ? sizes : [2_000, 200_000]) {
  for (const shape of CASES) {
    (results[shape.name] ??= {})[`${runs} RUNNING runs, ms`] = await measure(runs, shape);
  }
}
console.log(JSON.stringify({ results, node: process.version }, null, 2));
