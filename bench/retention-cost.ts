/**
 * What retention's deletes cost at scale, in process: the Drizzle repository over a real
 * better-sqlite3 file with group commit, no HTTP. A file of 1,000 jobs and N finished runs spread
 * evenly over the last 400 days (the default 1,000,000: about 330 MiB), then RUN_RETENTION_DAYS=90
 * with the default floor of 20 runs per job: every batch of 500 deleted is timed (wall ms: the
 * event loop and the write lock are held that long, so a request that arrives meanwhile waits at
 * most that much), and so is one ordinary write between two batches.
 *   npx tsx bench/retention-cost.ts [runs] [batch size]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import { DrizzleRetentionRepository } from '../db/retention.js';
import { drizzleStores } from '../db/stores.js';
import { RETENTION_BATCH } from '../shared/services/index.js';
import { createBenchJobs } from './in-process.js';

const JOBS = 1_000;
const DAYS = 400;
const KEEP_DAYS = 90;
const MIN_RUNS = 20;
const NOW = Date.parse('2026-12-01T00:00:00Z');
const runs = Number(process.argv[2] ?? 1_000_000);
/** The batch size to time (the server's RETENTION_BATCH by default). */
const batch = Number(process.argv[3] ?? RETENTION_BATCH);

const dir = mkdtempSync(join(tmpdir(), 'chronotrack-retention-'));
const file = join(dir, 'bench.db');
const database = openBetterSqlite(file);
try {
  const stores = drizzleStores(database);
  const jobIds = await createBenchJobs(stores.jobs, JOBS, new Date(NOW - (DAYS + 1) * 86_400_000));
  const insert = database.sqlite.prepare(
    `INSERT INTO job_runs (job_id, status, created_at, started_at, finished_at)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const seeding = Date.now();
  const span = DAYS * 86_400_000;
  for (let start = 0; start < runs; start += 50_000)
    database.sqlite.transaction(() => {
      for (let i = start; i < Math.min(runs, start + 50_000); i++) {
        const created = NOW - span + Math.floor((i / runs) * span);
        insert.run(
          jobIds[i % JOBS],
          i % 10 === 0 ? 'FAILED' : 'SUCCESS',
          created,
          created,
          created + 30_000,
        );
      }
    })();
  database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const seededMs = Date.now() - seeding;
  const sizeMiB = statSync(file).size / 2 ** 20;

  const retention = new DrizzleRetentionRepository(database);
  const policy = { defaultDays: KEEP_DAYS, minRuns: MIN_RUNS };
  const batches: number[] = [];
  const writes: number[] = [];
  let deleted = 0;
  const job = jobIds[0]!;
  for (;;) {
    const began = performance.now();
    const count = await retention.deleteExpiredRuns(new Date(NOW), policy, batch);
    batches.push(performance.now() - began);
    deleted += count;
    // An ordinary write between two batches: a run created through the repository.
    const wrote = performance.now();
    await stores.runs.createForActiveJob({
      jobId: job,
      status: 'PENDING',
      createdAt: new Date(NOW),
      startedAt: null,
      metadata: null,
    });
    writes.push(performance.now() - wrote);
    if (count < batch) break;
  }
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const at = (values: number[], q: number) =>
    Math.round(sorted(values)[Math.min(values.length - 1, Math.floor(q * values.length))]! * 10) /
    10;
  const left = database.sqlite.prepare('SELECT count(*) AS n FROM job_runs').get() as { n: number };
  console.log(
    JSON.stringify(
      {
        machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
        node: process.version,
        runs,
        jobs: JOBS,
        fileMiB: Math.round(sizeMiB),
        seededSeconds: Math.round(seededMs / 1000),
        retentionDays: KEEP_DAYS,
        batchSize: batch,
        deleted,
        left: left.n,
        batches: batches.length,
        batchMs: {
          median: at(batches, 0.5),
          p99: at(batches, 0.99),
          max: Math.round(Math.max(...batches) * 10) / 10,
        },
        totalSeconds: Math.round(batches.reduce((a, b) => a + b, 0) / 100) / 10,
        writeBetweenBatchesMs: { median: at(writes, 0.5), max: at(writes, 1) },
        fileMiBAfter: Math.round(statSync(file).size / 2 ** 20),
      },
      null,
      2,
    ),
  );
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
