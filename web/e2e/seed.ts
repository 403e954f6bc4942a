import { openBetterSqlite } from '../../db/better-sqlite3.js';

export interface SeedJob {
  name: string;
  type: string;
  /** Hours between runs, newest run `everyHours` ago at most. */
  everyHours: number;
  /** Durations in seconds, oldest first; a negative one is a failure of that length. */
  durations: number[];
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
    'INSERT INTO jobs (project_id, name, description, type, archived, created_at, updated_at) VALUES (1, ?, NULL, ?, 0, ?, ?) RETURNING id',
  );
  const insertRun = database.sqlite.prepare(
    'INSERT INTO job_runs (job_id, status, created_at, started_at, finished_at, error_message, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  database.sqlite.transaction(() => {
    for (const job of jobs) {
      const created = now - (job.durations.length + 2) * job.everyHours * 3_600_000;
      const { id } = insertJob.get(job.name, job.type, created, created) as { id: number };
      ids.push(id);
      job.durations.forEach((seconds, i) => {
        const at = now - (job.durations.length - i) * job.everyHours * 3_600_000 + 7_000 * i;
        const failed = seconds < 0;
        const end = at + Math.abs(seconds) * 1000;
        insertRun.run(
          id,
          failed ? 'FAILED' : 'SUCCESS',
          at,
          at,
          end,
          failed ? 'exit code 1: upstream timed out' : null,
          JSON.stringify({ triggeredBy: 'cron', host: `worker-${(i % 3) + 1}` }),
        );
      });
    }
  })();
  await database.close();
  return ids;
}

/** A few kinds of work, as a small team's server would hold them. */
export const SAMPLE_JOBS: SeedJob[] = [
  {
    name: 'Daily ETL',
    type: 'etl',
    everyHours: 4,
    durations: [
      301, 295, 330, 298, 312, 305, -95, 318, 290, 300, 612, 299, 307, 296, 315, 302, 288, 309,
      -120, 297, 304, 311, 299, 306, 293, 301, 340, 298, 305, 300,
    ],
  },
  {
    name: 'Invoice sync',
    type: 'sync',
    everyHours: 1,
    durations: [4, 5, 3, 6, 4, 5, 4, 12, 5, 4, -30, 5, 4, 6, 5, 4, 5, 3, 4, 5, 6, 4, 5, 4, 5, 4],
  },
  { name: 'Search reindex', type: 'index', everyHours: 24, durations: [820, 790, 905, 860, 842] },
  {
    name: 'Cache warmer',
    type: 'cron',
    everyHours: 0.25,
    durations: Array.from({ length: 40 }, (_, i) => 2 + (i % 4 === 0 ? 1 : 0)),
  },
  {
    name: 'Certificate check',
    type: 'cron',
    everyHours: 12,
    durations: [-3, -2, -4, 2, 1, 2, 2, 1],
  },
];
