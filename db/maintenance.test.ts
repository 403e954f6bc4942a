import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../shared/logger.js';
import { HealthRecorder, Maintenance, Retention, RunSweeper } from '../shared/services/index.js';
import { DrizzleRunSweepRepository } from './run-sweeps.js';
import { drizzleStores } from './stores.js';
import { FILE_DRIVERS, freshFileDatabases } from '../test/db/file-databases.js';

const NOW = new Date('2026-03-01T12:00:00Z');
/** The defaults: every run kept (retention has its own test, db/retention.test.ts). */
const KEEP_ALL = { runDays: 0, minRuns: 20, deliveryDays: 30 };
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

describe.each(FILE_DRIVERS)('a maintenance tick on %s', (_name, open) => {
  const fresh = freshFileDatabases(open, 'maintenance');

  const setUp = async () => {
    const database = await fresh();
    const stores = drizzleStores(database);
    const lines: Array<Record<string, unknown>> = [];
    const logger = createJsonLogger({ write: (line) => lines.push(JSON.parse(line)) });
    // Idempotency records: three expired a minute ago, one still good for an hour.
    const reserve = (key: string, expiresAt: Date) =>
      stores.idempotencyKeys.reserve({
        principal: 'key:1',
        key,
        fingerprint: 'f',
        now: minutes(-24 * 60),
        expiresAt,
        abandonedBefore: minutes(-24 * 60 - 1),
      });
    for (const key of ['old-1', 'old-2', 'old-3']) await reserve(key, minutes(-1));
    await reserve('live', minutes(60));
    const job = await stores.jobs.create({
      projectId: 1,
      key: 'maintained',
      name: 'maintained',
      description: null,
      type: null,
      now: minutes(-10),
      pendingTimeoutSeconds: 60,
    });
    const run = await stores.runs.createForActiveJob({
      jobId: job.id,
      status: 'PENDING',
      createdAt: minutes(-10),
      startedAt: null,
      metadata: null,
    });
    return { database, stores, lines, logger, run: run! };
  };
  const keysLeft = async (stores: ReturnType<typeof drizzleStores>) => {
    const left: string[] = [];
    for (const key of ['old-1', 'old-2', 'old-3', 'live'])
      if (await stores.idempotencyKeys.find('key:1', key, minutes(-2))) left.push(key);
    return left;
  };

  it('fails the lost runs, records the health that changed, deletes the expired idempotency keys, logging each', async () => {
    const { database, stores, lines, logger, run } = await setUp();
    const maintenance = new Maintenance(
      new RunSweeper(new DrizzleRunSweepRepository(database), logger),
      stores.idempotencyKeys,
      logger,
      new HealthRecorder(stores.jobs, logger),
      new Retention(stores.retention, KEEP_ALL, logger),
    );
    await maintenance.tick(NOW);
    expect((await stores.runs.findById(run.id))?.errorMessage).toBe('never started');
    expect(await keysLeft(stores)).toEqual(['live']);
    expect(lines.map((l) => l.msg)).toEqual([
      'run swept',
      'job health changed',
      'expired idempotency keys deleted',
    ]);
    // The run the sweep failed counts: the job is down, recorded once.
    expect(lines[1]).toMatchObject({ jobId: run.jobId, from: 'new', to: 'down' });
    expect(await stores.jobs.findById(run.jobId)).toMatchObject({
      recordedHealth: 'down',
      healthChangedAt: NOW,
    });
    expect(lines[2]).toMatchObject({ deleted: 3 });
    // A second tick has nothing to do and says nothing.
    await maintenance.tick(NOW);
    expect(lines).toHaveLength(3);
  });

  it('a sweep that fails does not keep the keys from being deleted; the tick then throws', async () => {
    const { stores, logger } = await setUp();
    const gone = await fresh();
    await gone.close(); // the sweeper's database is unreachable
    const maintenance = new Maintenance(
      new RunSweeper(new DrizzleRunSweepRepository(gone), logger),
      stores.idempotencyKeys,
      logger,
      new HealthRecorder(stores.jobs, logger),
      new Retention(stores.retention, KEEP_ALL, logger),
    );
    await expect(maintenance.tick(NOW)).rejects.toThrow();
    expect(await keysLeft(stores)).toEqual(['live']);
  });
});
