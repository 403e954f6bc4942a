import { eq } from 'drizzle-orm';
import { createJsonLogger } from '../../shared/logger.js';
import type { JobRun } from '../../shared/models.js';
import type { JobLimits, NewRun } from '../../shared/repositories.js';
import { RunSweeper } from '../../shared/services/run-sweeper.js';
import type { Database } from '../../db/database.js';
import { DrizzleJobRepository, DrizzleJobRunRepository } from '../../db/drizzle-repositories.js';
import { DrizzleRunSweepRepository } from '../../db/run-sweeps.js';
import { jobMetrics } from '../../db/schema.js';

export const T0 = Date.parse('2026-03-01T00:00:00Z');
export const at = (ms: number) => new Date(T0 + ms);
export const SECOND = 1000;

/**
 * Jobs, runs and a sweeper over a real database, with an injected clock: every time is given,
 * none is read. Runtime-neutral (no Node APIs), so D1 runs it in workerd too. The database may be
 * shared by the tests of a file (D1): each test makes its own jobs and looks only at them.
 */
export async function lostRunsFixture(open: () => Promise<Database>) {
  const database = await open();
  const jobRepo = new DrizzleJobRepository(database);
  const runs = new DrizzleJobRunRepository(database);
  const lines: Array<Record<string, unknown>> = [];
  const logger = createJsonLogger({ write: (line) => lines.push(JSON.parse(line)) });
  const sweepRepo = new DrizzleRunSweepRepository(database);
  const sweeper = (batchSize?: number) => new RunSweeper(sweepRepo, logger, undefined, batchSize);

  /** A job with these limits (none by default). */
  const job = async (limits: Partial<JobLimits> = {}) => {
    const suffix = crypto.randomUUID();
    const created = await jobRepo.create({
      projectId: 1,
      key: `lost-${suffix}`,
      name: `lost runs ${suffix}`,
      description: null,
      type: null,
      now: at(0),
      ...limits,
    });
    return created.id;
  };
  const run = async (jobId: number, init: Partial<NewRun> = {}) => {
    const created = await runs.createForActiveJob({
      jobId,
      status: 'RUNNING',
      createdAt: at(0),
      startedAt: at(0),
      metadata: null,
      ...init,
    });
    if (!created) throw new Error('no run created');
    return created;
  };
  const get = async (id: number) => (await runs.findById(id))!;
  /** Sweeps as of `now` and returns the ids of the given runs that it failed. */
  const sweepOf = async (now: Date, mine: JobRun[], batchSize?: number) => {
    const ids = new Set(mine.map((r) => r.id));
    const swept = await sweeper(batchSize).sweep(now);
    return swept.filter((r) => ids.has(r.runId));
  };
  const metrics = async (jobId: number) => {
    const [row] = await database.db
      .select({ failed: jobMetrics.failedTotal, running: jobMetrics.running })
      .from(jobMetrics)
      .where(eq(jobMetrics.jobId, jobId));
    return row!;
  };
  return { database, jobs: jobRepo, runs, sweeper, job, run, get, sweepOf, metrics, lines };
}
