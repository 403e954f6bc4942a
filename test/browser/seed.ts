import { openBetterSqlite } from '../../db/better-sqlite3.js';

export interface SeedJob {
  name: string;
  type: string;
  /** Hours between runs, newest run `everyHours` ago at most. */
  everyHours: number;
  /** Durations in seconds, oldest first; a negative one is a failure of that length. */
  durations: number[];
  /** When it is expected to run, so it has a health (see docs/alerts.md); none by default. */
  schedule?: string;
  timezone?: string;
  graceSeconds?: number;
  /** Hours it has been silent since its newest run was due: the whole history moves back. */
  quietHours?: number;
}

/**
 * Writes jobs with a history spread over the past days straight into a fresh database file, as
 * months of reporting would have left it (the API stamps runs with the current time, so a
 * history cannot be made through it). The server is started on the file afterwards.
 */
export async function seedHistory(
  file: string,
  jobs: SeedJob[],
  now = Date.now(),
): Promise<number[]> {
  const database = openBetterSqlite(file);
  const ids: number[] = [];
  const insertJob = database.sqlite.prepare(
    'INSERT INTO jobs (project_id, name, description, type, archived, schedule, timezone, grace_seconds, created_at, updated_at) VALUES (1, ?, NULL, ?, 0, ?, ?, ?, ?, ?) RETURNING id',
  );
  const insertRun = database.sqlite.prepare(
    'INSERT INTO job_runs (job_id, status, created_at, started_at, finished_at, error_message, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  database.sqlite.transaction(() => {
    for (const job of jobs) {
      const end = now - (job.quietHours ?? 0) * 3_600_000;
      const created = end - (job.durations.length + 2) * job.everyHours * 3_600_000;
      const { id } = insertJob.get(
        job.name,
        job.type,
        job.schedule ?? null,
        job.timezone ?? null,
        job.graceSeconds ?? null,
        created,
        created,
      ) as { id: number };
      ids.push(id);
      job.durations.forEach((seconds, i) => {
        const at = end - (job.durations.length - i) * job.everyHours * 3_600_000 + 7_000 * i;
        const failed = seconds < 0;
        insertRun.run(
          id,
          failed ? 'FAILED' : 'SUCCESS',
          at,
          at,
          at + Math.abs(seconds) * 1000,
          failed ? 'exit code 1: upstream timed out' : null,
          JSON.stringify({ triggeredBy: 'cron', host: `worker-${(i % 3) + 1}` }),
        );
      });
    }
  })();
  await database.close();
  return ids;
}

/**
 * A few kinds of work, as a small team's server would hold them, with a health each (the
 * screenshots show them): intervals, not cron, where the health must not depend on the clock.
 * Daily ETL, Cache warmer and Search reindex are up (their next run is due minutes from now),
 * Invoice sync is late (silent 45 min past its hour, with 30 min of grace), Certificate check is
 * down (its latest runs failed).
 */
export const SAMPLE_JOBS: SeedJob[] = [
  {
    name: 'Daily ETL',
    type: 'etl',
    everyHours: 4,
    schedule: 'every 4h',
    graceSeconds: 1800,
    durations: [
      301, 295, 330, 298, 312, 305, -95, 318, 290, 300, 612, 299, 307, 296, 315, 302, 288, 309,
      -120, 297, 304, 311, 299, 306, 293, 301, 340, 298, 305, 300,
    ],
  },
  {
    name: 'Invoice sync',
    type: 'sync',
    everyHours: 1,
    schedule: 'every 1h',
    graceSeconds: 1800,
    quietHours: 0.75,
    durations: [4, 5, 3, 6, 4, 5, 4, 12, 5, 4, -30, 5, 4, 6, 5, 4, 5, 3, 4, 5, 6, 4, 5, 4, 5, 4],
  },
  {
    name: 'Search reindex',
    type: 'index',
    everyHours: 24,
    schedule: 'every 1d',
    graceSeconds: 3600,
    durations: [820, 790, 905, 860, 842],
  },
  {
    name: 'Cache warmer',
    type: 'cron',
    everyHours: 0.25,
    schedule: 'every 15m',
    graceSeconds: 900,
    durations: Array.from({ length: 40 }, (_, i) => 2 + (i % 4 === 0 ? 1 : 0)),
  },
  {
    name: 'Certificate check',
    type: 'cron',
    everyHours: 12,
    schedule: '0 6,18 * * *',
    timezone: 'Europe/Berlin',
    durations: [2, 1, 2, 2, 1, -3, -2, -4],
  },
];
