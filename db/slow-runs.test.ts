import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { isSlow, SLOW_SAMPLE_RUNS, slowThresholdMs } from '../shared/slow-runs.js';
import { openBetterSqlite } from './better-sqlite3.js';
import { isSlowSql, jobSlowThresholdSql } from './slow-runs.js';

/**
 * db/slow-runs.ts, the SQL copy of shared/slow-runs.ts, against it over generated histories:
 * from none to more than SLOW_SAMPLE_RUNS finished runs, durations with ties, and runs cancelled
 * before they started (no duration), each job's threshold and the slow verdict (with its cheap
 * floor) for durations around it are the TypeScript's.
 */
const database = openBetterSqlite(':memory:');
const { sqlite } = database;
afterAll(() => database.close());

/** A seeded generator (mulberry32): the same cases on every run, and a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const insertJob = sqlite.prepare(
  "INSERT INTO jobs (project_id, key, name, created_at, updated_at) VALUES (1, ?, 'j', 0, 0)",
);
const insertRun = sqlite.prepare(
  'INSERT INTO job_runs (job_id, status, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?)',
);

describe("the slow-run rule's SQL copy of shared/slow-runs.ts", () => {
  it('computes the same threshold and verdict for 200 generated histories', async () => {
    const next = random(23);
    const int = (below: number) => Math.floor(next() * below);
    for (let c = 0; c < 200; c++) {
      const jobId = Number(insertJob.run(`job-${c}`).lastInsertRowid);
      const runs = int(SLOW_SAMPLE_RUNS + 20);
      // Few distinct values now and then, so ties at the p95 rank are common.
      const spread = next() < 0.3 ? 5 : 100_000;
      const finished: Array<{ finishedAt: number; duration: number }> = [];
      for (let i = 0; i < runs; i++) {
        const at = i * 1000;
        if (next() < 0.1) {
          insertRun.run(jobId, 'CANCELLED', at, null, at + 1);
          continue;
        }
        const duration = int(spread);
        insertRun.run(jobId, next() < 0.5 ? 'SUCCESS' : 'FAILED', at, at, at + duration);
        finished.push({ finishedAt: at + duration, duration });
      }
      // The latest finished first (a later run wins a tie, as its id is larger).
      const durations = finished
        .map((run, index) => ({ ...run, index }))
        .sort((a, b) => b.finishedAt - a.finishedAt || b.index - a.index)
        .map((run) => run.duration);
      const running = Number(
        insertRun.run(jobId, 'RUNNING', runs * 1000, runs * 1000, null).lastInsertRowid,
      );
      const expected = slowThresholdMs(durations);
      const label = JSON.stringify({ case: c, durations });

      const [threshold] = await database.db.all<{ t: number | null }>(
        sql`SELECT ${jobSlowThresholdSql(String(jobId))} AS t`,
      );
      expect(threshold!.t, label).toBe(expected);

      const candidates = [0, int(spread), ...(expected === null ? [] : [expected, expected + 1])];
      for (const duration of candidates) {
        const [verdict] = await database.db.all<{ slow: number }>(
          sql`SELECT ${isSlowSql('r', sql`${duration}`)} AS slow FROM job_runs r WHERE r.id = ${running}`,
        );
        expect(verdict!.slow === 1, `${label} at ${duration}`).toBe(isSlow(duration, expected));
      }
    }
  });
});
