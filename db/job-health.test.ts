import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import {
  healthDeadlines,
  healthMovesWithTime,
  healthSteps,
  jobHealth,
  type HealthFacts,
} from '../shared/job-health.js';
import { RUN_STATUSES, isTerminal, type RunStatus } from '../shared/run-status.js';
import { openBetterSqlite } from './better-sqlite3.js';
import { DrizzleJobRepository } from './drizzle-repositories.js';
import { HEALTH_MOVES_WITH_TIME, HEALTH_WITHOUT_TIME, LAST_FINISHED_STATUS } from './job-health.js';
import { jobs } from './schema.js';

/**
 * db/job-health.ts, the SQL copy of shared/job-health.ts, against it: for every job of up to two
 * runs (each status, finishing in either order), archived or not, scheduled or not, the SQL's
 * latest finished status, "moves with time" and health without time are the TypeScript's; the
 * jobs it says move with time are those with deadlines, whose way to down passes late, and those
 * the health timer's read after a write selects.
 */
const database = openBetterSqlite(':memory:');
const { sqlite } = database;
afterAll(() => database.close());

interface GeneratedRun {
  status: RunStatus;
  createdAt: number;
  finishedAt: number | null;
}

const runOptions = (createdAt: number): GeneratedRun[] =>
  RUN_STATUSES.flatMap((status) =>
    [500, 5000].map((duration) => ({
      status,
      createdAt,
      finishedAt: isTerminal(status) ? createdAt + duration : null,
    })),
  );

const histories: GeneratedRun[][] = [
  [],
  ...runOptions(1000).map((run) => [run]),
  ...runOptions(1000).flatMap((first) => runOptions(2000).map((second) => [first, second])),
];

/** The facts as shared/job-health.ts defines them, from the runs themselves. */
function factsOf(archived: boolean, schedule: string | null, runs: GeneratedRun[]): HealthFacts {
  const finished = runs
    .map((run, index) => ({ ...run, index }))
    .filter((run) => run.finishedAt !== null)
    .sort((a, b) => b.finishedAt! - a.finishedAt! || b.index - a.index);
  return {
    archived,
    schedule,
    timezone: null,
    graceSeconds: null,
    createdAt: new Date(0),
    lastRunAt: runs.length === 0 ? null : new Date(Math.max(...runs.map((run) => run.createdAt))),
    lastFinishedStatus: finished[0]?.status ?? null,
  };
}

const insertJob = sqlite.prepare(
  'INSERT INTO jobs (project_id, key, name, archived, schedule, created_at, updated_at) VALUES (1, ?, ?, ?, ?, 0, 0)',
);
const insertRun = sqlite.prepare(
  'INSERT INTO job_runs (job_id, status, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?)',
);

describe("the health query's SQL copy of shared/job-health.ts", () => {
  it('agrees with jobHealth and healthMovesWithTime for every generated job', async () => {
    const withDeadlines: number[] = [];
    let n = 0;
    for (const archived of [false, true]) {
      for (const schedule of [null, '0 3 * * *']) {
        for (const runs of histories) {
          const key = `job-${n++}`;
          const jobId = Number(insertJob.run(key, key, archived ? 1 : 0, schedule).lastInsertRowid);
          for (const run of runs) {
            insertRun.run(jobId, run.status, run.createdAt, run.createdAt, run.finishedAt);
          }
          const [row] = await database.db
            .select({
              lastFinishedStatus: LAST_FINISHED_STATUS,
              movesWithTime: HEALTH_MOVES_WITH_TIME,
              health: HEALTH_WITHOUT_TIME,
            })
            .from(jobs)
            .where(eq(jobs.id, jobId));
          const facts = factsOf(archived, schedule, runs);
          const label = JSON.stringify({ archived, schedule, runs });
          expect(row!.lastFinishedStatus, label).toBe(facts.lastFinishedStatus);
          expect(Boolean(row!.movesWithTime), label).toBe(healthMovesWithTime(facts));
          if (!healthMovesWithTime(facts)) {
            // Exact where time cannot move it: any instant gives the same health.
            expect(row!.health, label).toBe(jobHealth(facts, new Date(0)).health);
            expect(row!.health, label).toBe(jobHealth(facts, new Date(4e12)).health);
          }
          // Where the SQL says time moves it, the job has deadlines, and from up or new a job
          // past both records late before down; elsewhere no step goes through late.
          const far = new Date(4e12);
          expect(healthDeadlines(facts) !== null, label).toBe(Boolean(row!.movesWithTime));
          for (const recorded of ['up', 'new'] as const) {
            const steps = healthSteps(facts, recorded, far);
            expect(steps.at(-1) ?? recorded, label).toBe(jobHealth(facts, far).health);
            expect(steps.includes('late'), label).toBe(Boolean(row!.movesWithTime));
          }
          if (row!.movesWithTime) withDeadlines.push(jobId);
        }
      }
    }
    expect(n).toBe(4 * histories.length);
    // The health timer's read after a write selects by the same SQL: exactly the jobs with deadlines.
    const written = await new DrizzleJobRepository(database).listWrittenForHealth(new Date(0), n);
    expect(written.map((job) => job.id).sort((a, b) => a - b)).toEqual(withDeadlines);
    expect(withDeadlines.length).toBeGreaterThan(0);
  });
});
