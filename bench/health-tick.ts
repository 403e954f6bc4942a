/**
 * What the sweep tick's health recording costs, in process: HealthRecorder over the real Drizzle
 * repositories on a better-sqlite3 file with group commit, no HTTP. For each job count, a fresh
 * file with a realistic mix (a tenth scheduled, one in twenty whose latest run FAILED, five
 * finished runs each), then:
 * - the baseline tick: every job's health recorded from NULL, as the first tick after the upgrade
 *   (health reset to NULL and the tick repeated; the first, cold, and the best of the repeats);
 * - the steady tick: nothing changed since the last one, the tick of every SWEEP_INTERVAL_SECONDS;
 * - a tick where 1% of the jobs changed (their latest run failed since).
 *   npx tsx bench/health-tick.ts [jobs ...]   (default 1000 10000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import { drizzleStores } from '../db/stores.js';
import { createJsonLogger } from '../shared/logger.js';
import { HealthRecorder } from '../shared/services/index.js';

const REPEATS = 5;
const RUNS_PER_JOB = 5;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const logger = createJsonLogger({ silent: true });

/** Wall-clock milliseconds of `op`, and how many transitions it recorded. */
async function timed(op: () => Promise<unknown[]>): Promise<{ ms: number; recorded: number }> {
  const began = performance.now();
  const recorded = (await op()).length;
  return { ms: performance.now() - began, recorded };
}

async function measure(jobCount: number) {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-health-tick-'));
  const database = openBetterSqlite(join(dir, 'bench.db'));
  try {
    const { sqlite } = database;
    const insertJob = sqlite.prepare(
      'INSERT INTO jobs (project_id, key, name, schedule, grace_seconds, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?)',
    );
    const insertRun = sqlite.prepare(
      'INSERT INTO job_runs (job_id, status, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?)',
    );
    const day = 24 * 3_600_000;
    sqlite.transaction(() => {
      for (let j = 0; j < jobCount; j++) {
        // A tenth scheduled: half every 5 minutes (due, so late or down), half daily (up).
        const schedule = j % 10 === 0 ? (j % 20 === 0 ? '*/5 * * * *' : '0 3 * * *') : null;
        const id = Number(
          insertJob.run(`job-${j}`, `job ${j}`, schedule, 60, NOW - 30 * day, NOW - 30 * day)
            .lastInsertRowid,
        );
        for (let r = 0; r < RUNS_PER_JOB; r++) {
          const at = NOW - (RUNS_PER_JOB - r) * 3_600_000;
          const failed = r === RUNS_PER_JOB - 1 && j % 20 === 7;
          insertRun.run(id, failed ? 'FAILED' : 'SUCCESS', at, at, at + 1000);
        }
      }
    })();
    const recorder = new HealthRecorder(drizzleStores(database).jobs, logger);
    const now = new Date(NOW);

    let baseline = { ms: Infinity, recorded: 0 };
    let coldBaselineMs = 0;
    for (let i = 0; i < REPEATS; i++) {
      sqlite.prepare('UPDATE jobs SET health = NULL, health_changed_at = NULL').run();
      const tick = await timed(() => recorder.record(now));
      // The first in the process: nothing in memory yet (no prepared statement, no schedule memo).
      if (i === 0) coldBaselineMs = tick.ms;
      if (tick.ms < baseline.ms) baseline = tick;
    }
    let steady = { ms: Infinity, recorded: 0 };
    for (let i = 0; i < REPEATS; i++) {
      const tick = await timed(() => recorder.record(now));
      if (tick.ms < steady.ms) steady = tick;
    }
    let onePercent = { ms: Infinity, recorded: 0 };
    for (let i = 0; i < REPEATS; i++) {
      // 1% of the unscheduled jobs that were up get a failed run, then the tick; then undone.
      const changed = sqlite
        .prepare("SELECT id FROM jobs WHERE schedule IS NULL AND health = 'up' ORDER BY id LIMIT ?")
        .all(Math.ceil(jobCount / 100)) as Array<{ id: number }>;
      const runIds = changed.map(
        ({ id }) =>
          insertRun.run(id, 'FAILED', NOW - 60_000, NOW - 60_000, NOW - 59_000).lastInsertRowid,
      );
      const tick = await timed(() => recorder.record(now));
      if (tick.ms < onePercent.ms) onePercent = tick;
      const drop = sqlite.prepare('DELETE FROM job_runs WHERE id = ?');
      for (const id of runIds) drop.run(id);
      await recorder.record(now);
    }
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      jobs: jobCount,
      runs: jobCount * RUNS_PER_JOB,
      coldBaselineTickMs: round(coldBaselineMs),
      baselineTickMs: round(baseline.ms),
      baselineRecorded: baseline.recorded,
      steadyTickMs: round(steady.ms),
      steadyRecorded: steady.recorded,
      onePercentChangedTickMs: round(onePercent.ms),
      onePercentRecorded: onePercent.recorded,
    };
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const sizes = process.argv.slice(2).map(Number);
const results = [];
for (const size of sizes.length > 0 ? sizes : [1_000, 10_000]) results.push(await measure(size));
console.log(JSON.stringify({ results, repeats: REPEATS, node: process.version }, null, 2));
