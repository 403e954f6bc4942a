import type BetterSqlite3 from 'better-sqlite3';
import { openBetterSqlite } from '../db/better-sqlite3.js';

export interface SeedOptions {
  file: string;
  jobs: number;
  runs: number;
  /** Extra RUNNING runs, spread over the jobs, for the PATCH scenario to finish. */
  runningForPatch: number;
}

const STATUS_MIX: Array<[string, number]> = [
  ['SUCCESS', 0.85],
  ['FAILED', 0.08],
  ['CANCELLED', 0.03],
  ['RUNNING', 0.02],
  ['PENDING', 0.02],
];

/** A deterministic pseudo-random sequence (mulberry32), so every seed is the same data. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeds a fresh database through the real schema and migrations: `jobs` jobs and `runs` runs
 * spread over the last 90 days in creation order, in batched transactions of prepared inserts.
 */
export function seed(options: SeedOptions): { ms: number } {
  const started = performance.now();
  const database = openBetterSqlite(options.file);
  const sqlite: BetterSqlite3.Database = database.sqlite;
  const next = random(42);
  const now = Date.now();
  const span = 90 * 86_400_000;
  const insertJob = sqlite.prepare(
    'INSERT INTO jobs (name, type, archived, created_at, updated_at) VALUES (?, ?, 0, ?, ?)',
  );
  const insertRun = sqlite.prepare(
    'INSERT INTO job_runs (job_id, status, created_at, started_at, finished_at, error_message, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const types = ['etl', 'backup', 'report', 'sync', 'ml'];
  sqlite.transaction(() => {
    for (let j = 1; j <= options.jobs; j++)
      insertJob.run(`job ${j}`, types[j % types.length], now - span - 1000, now - span - 1000);
  })();

  const total = options.runs + options.runningForPatch;
  const BATCH = 50_000;
  for (let start = 0; start < total; start += BATCH) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(start + BATCH, total); i++) {
        const forPatch = i >= options.runs;
        const createdAt = forPatch
          ? now - 1000
          : now - span + Math.floor((i / options.runs) * span);
        const jobId = 1 + Math.floor(next() * options.jobs);
        let status = 'RUNNING';
        if (!forPatch) {
          let r = next();
          status = STATUS_MIX.find(([, share]) => (r -= share) < 0)?.[0] ?? 'SUCCESS';
        }
        const startedAt = status === 'PENDING' ? null : createdAt + Math.floor(next() * 1000);
        const terminal = status === 'SUCCESS' || status === 'FAILED' || status === 'CANCELLED';
        const finishedAt =
          terminal && startedAt !== null ? startedAt + 1000 + Math.floor(next() * 600_000) : null;
        insertRun.run(
          jobId,
          status,
          createdAt,
          startedAt,
          finishedAt,
          status === 'FAILED' ? 'exit code 1' : null,
          '{"host":"bench"}',
        );
      }
    })();
  }
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  return { ms: performance.now() - started };
}
