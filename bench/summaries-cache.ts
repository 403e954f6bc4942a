/**
 * What the dashboard's jobs page (`GET /api/jobs/summaries?limit=100`, its services in process,
 * no HTTP) costs at a busy window, with and without JobSummaryCache: CPU ms per page, median of
 * `POLLS`. A file of JOBS jobs and `runs` runs over 90 days (bench/seed.ts), so the 7-day window
 * holds 7/90 of them. Between two polls `changed` jobs get a new run, as a soak's runs do.
 *   npx tsx bench/summaries-cache.ts [runs]   (default: 460000, about 36,000 in the window)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import { drizzleStores } from '../db/stores.js';
import { createJsonLogger } from '../shared/logger.js';
import { JobService } from '../shared/services/job-service.js';
import { JobSummaryCache } from '../shared/services/job-summary-cache.js';
import { JobSummaryService } from '../shared/services/job-summary-service.js';
import { seed } from './seed.js';

const JOBS = 50;
const POLLS = 15;
const runs = Number(process.argv[2] ?? 460_000);

const dir = mkdtempSync(join(tmpdir(), 'chronotrack-summaries-bench-'));
try {
  const file = join(dir, 'bench.db');
  seed({ file, jobs: JOBS, runs, runningForPatch: 0 });
  const database = openBetterSqlite(file);
  const stores = drizzleStores(database);
  const now = () => new Date();
  const jobs = new JobService(
    stores.jobs,
    stores.projects,
    now,
    createJsonLogger({ silent: true }),
  );
  const cached = new JobSummaryService(jobs, stores.summaries, now, new JobSummaryCache());
  const params = { limit: 100 };
  const inWindow = (
    database.sqlite
      .prepare('SELECT count(*) AS n FROM job_runs WHERE created_at >= ?')
      .get(Date.now() - 7 * 86_400_000) as { n: number }
  ).n;
  const insert = database.sqlite.prepare(
    "INSERT INTO job_runs (job_id, status, created_at) VALUES (?, 'PENDING', ?)",
  );

  const cpuMs = async (page: () => Promise<unknown>) => {
    const began = process.cpuUsage();
    await page();
    const used = process.cpuUsage(began);
    return (used.user + used.system) / 1000;
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const scenario = async (name: string, changed: number, service: () => JobSummaryService) => {
    const samples: number[] = [];
    await service().list(params, null);
    for (let poll = 0; poll < POLLS; poll++) {
      for (let j = 0; j < changed; j++) insert.run(1 + ((poll * changed + j) % JOBS), Date.now());
      samples.push(await cpuMs(() => service().list(params, null)));
    }
    console.log(`| ${name} | ${changed} of ${JOBS} | ${median(samples).toFixed(1)} |`);
  };

  console.log(`${runs} runs, ${inWindow} in the 7-day window, ${JOBS} jobs; CPU ms per page:\n`);
  console.log('| summaries | jobs changed between polls | median CPU ms |');
  console.log('|---|---|---|');
  const uncached = () => new JobSummaryService(jobs, stores.summaries, now, new JobSummaryCache());
  await scenario('read every job (no cache: before)', 0, uncached);
  await scenario('cache', 0, () => cached);
  await scenario('cache', 12, () => cached);
  await scenario('cache', JOBS, () => cached);
  await database.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
