import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../shared/logger.js';
import { Retention, RETENTION_BATCH } from '../shared/services/index.js';
import type { Database } from './database.js';
import {
  jobMetrics,
  jobRuns,
  jobs,
  projects,
  webhookAttempts,
  webhookDeliveries,
  webhookEvents,
  webhooks,
} from './schema.js';
import { drizzleStores } from './stores.js';
import { FILE_DRIVERS, freshFileDatabases } from '../test/db/file-databases.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

/**
 * Retention over a real file on better-sqlite3 and libSQL (the Workers suites run the same
 * statements on D1 through the scheduled tick): which runs go and which stay, batches, the
 * counters /metrics reads, and the events with their deliveries log.
 */
describe.each(FILE_DRIVERS)('retention on %s', (_name, open) => {
  const fresh = freshFileDatabases(open, 'retention');

  /** A job with `finished` runs, the oldest first, finished `ages` days ago, plus open ones. */
  const seed = async (
    database: Database,
    projectId: number,
    key: string,
    ages: number[],
    open: Array<{ status: 'PENDING' | 'RUNNING'; age: number }> = [],
  ) => {
    const db = database.writes.db;
    const [job] = await db
      .insert(jobs)
      .values({ projectId, key, name: key, createdAt: daysAgo(400), updatedAt: daysAgo(400) })
      .returning({ id: jobs.id });
    const runs = [
      ...ages.map((age) => ({
        jobId: job!.id,
        status: 'PENDING' as const,
        createdAt: daysAgo(age),
      })),
      ...open.map(({ status, age }) => ({ jobId: job!.id, status, createdAt: daysAgo(age) })),
    ];
    const ids: number[] = [];
    for (const run of runs) {
      const [row] = await db.insert(jobRuns).values(run).returning({ id: jobRuns.id });
      ids.push(row!.id);
    }
    // Finish them through the status change the triggers count (job_metrics), as the API does.
    for (const [i, age] of ages.entries())
      await db
        .update(jobRuns)
        .set({
          status: i % 3 === 0 ? 'FAILED' : 'SUCCESS',
          startedAt: daysAgo(age),
          finishedAt: new Date(daysAgo(age).getTime() + 60_000),
        })
        .where(eq(jobRuns.id, ids[i]!));
    for (const [i, { status }] of open.entries())
      await db
        .update(jobRuns)
        .set({ status, startedAt: status === 'RUNNING' ? daysAgo(open[i]!.age) : null })
        .where(eq(jobRuns.id, ids[ages.length + i]!));
    return { jobId: job!.id, ids };
  };
  const left = async (database: Database, jobId: number) =>
    (
      await database.db
        .select({ id: jobRuns.id })
        .from(jobRuns)
        .where(eq(jobRuns.jobId, jobId))
        .orderBy(jobRuns.id)
    ).map((row) => row.id);
  const setUp = async () => {
    const database = await fresh();
    const lines: Array<Record<string, unknown>> = [];
    const logger = createJsonLogger({ write: (line) => lines.push(JSON.parse(line)) });
    return { database, stores: drizzleStores(database), lines, logger };
  };

  it('deletes finished runs past their project’s retention, keeping each job’s newest and open runs', async () => {
    const { database, stores, lines, logger } = await setUp();
    const [ops] = await database.writes.db
      .insert(projects)
      .values({ name: 'ops', createdAt: daysAgo(400), retentionDays: 30 })
      .returning({ id: projects.id });
    // 10 runs 40-49 days old, 2 of 5 days, an open RUNNING one of 100 days and a PENDING one.
    const daily = await seed(
      database,
      ops!.id,
      'daily',
      [49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 5, 5],
      [
        { status: 'RUNNING', age: 100 },
        { status: 'PENDING', age: 90 },
      ],
    );
    // A monthly job: fewer runs than the floor, all old.
    const monthly = await seed(database, ops!.id, 'monthly', [300, 270, 240, 210]);
    // The default project follows the server: 0 here, keep everything.
    const other = await seed(database, 1, 'other', [200, 100, 50]);
    // run_changes counts the deletes (a summary's window lost a run); the counters stay.
    const counters = async () =>
      (await database.db.select().from(jobMetrics).orderBy(jobMetrics.jobId)).map(
        ({ runChanges: _, ...rest }) => rest,
      );
    const before = await counters();

    const retention = new Retention(
      stores.retention,
      { runDays: 0, minRuns: 5, deliveryDays: 30 },
      logger,
    );
    expect(await retention.prune(NOW)).toEqual({ runs: 7, events: 0 });
    // Kept: the newest 5 by creation (5, 5, 40, 41 and 42 days old) and the open runs, however
    // old; the 43-49-day ones went.
    const [d40, d5a, d5b, running, pending] = daily.ids.slice(9);
    expect(await left(database, daily.jobId)).toEqual(
      [daily.ids[7]!, daily.ids[8]!, d40!, d5a!, d5b!, running!, pending!].sort((a, b) => a - b),
    );
    expect(await left(database, monthly.jobId)).toEqual(monthly.ids);
    expect(await left(database, other.jobId)).toEqual(other.ids);
    // /metrics reads counters the deletes do not touch.
    expect(await counters()).toEqual(before);
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'retention: runs deleted', deleted: 7 }),
    ]);
    // The project's figures, for GET /api/projects/{id}.
    expect(await stores.projects.runsKept(ops!.id)).toEqual({
      count: 11,
      oldestAt: daysAgo(300),
    });
    // A second tick finds nothing.
    expect(await retention.prune(NOW)).toEqual({ runs: 0, events: 0 });
  });

  it('applies the server default where a project has none, and a project’s 0 keeps all', async () => {
    const { database, stores, logger } = await setUp();
    const [keepAll] = await database.writes.db
      .insert(projects)
      .values({ name: 'keep', createdAt: daysAgo(400), retentionDays: 0 })
      .returning({ id: projects.id });
    const byDefault = await seed(database, 1, 'default', [100, 90, 10, 1]);
    const kept = await seed(database, keepAll!.id, 'kept', [100, 90, 10, 1]);
    const retention = new Retention(
      stores.retention,
      { runDays: 30, minRuns: 1, deliveryDays: 30 },
      logger,
    );
    expect((await retention.prune(NOW)).runs).toBe(2);
    expect(await left(database, byDefault.jobId)).toEqual(byDefault.ids.slice(2));
    expect(await left(database, kept.jobId)).toEqual(kept.ids);
  });

  it('deletes in batches of RETENTION_BATCH rows, all of them in one tick', async () => {
    const { database, stores, logger, lines } = await setUp();
    const count = RETENTION_BATCH * 2 + 7;
    const big = await seed(
      database,
      1,
      'big',
      Array.from({ length: count }, () => 60),
    );
    const policy = { defaultDays: 30, minRuns: 1 };
    expect(await stores.retention.deleteExpiredRuns(NOW, policy, 3)).toBe(3);
    const retention = new Retention(
      stores.retention,
      { runDays: 30, minRuns: 1, deliveryDays: 30 },
      logger,
    );
    expect((await retention.prune(NOW)).runs).toBe(count - 3 - 1);
    expect(await left(database, big.jobId)).toEqual([big.ids.at(-1)]);
    expect(lines[0]).toMatchObject({ deleted: count - 4, longestBatchMs: expect.any(Number) });
  });

  it('deletes old events with their deliveries and attempts, never one still pending', async () => {
    const { database, stores, logger } = await setUp();
    const db = database.writes.db;
    const [hook] = await db
      .insert(webhooks)
      .values({
        url: 'https://example.com/',
        events: '[]',
        secret: 's',
        createdAt: daysAgo(100),
        updatedAt: daysAgo(100),
      })
      .returning({ id: webhooks.id });
    const event = async (uid: string, age: number, status: 'succeeded' | 'pending') => {
      const [row] = await db
        .insert(webhookEvents)
        .values({ uid, type: 'run.failed', data: '{}', createdAt: daysAgo(age) })
        .returning({ id: webhookEvents.id });
      const [delivery] = await db
        .insert(webhookDeliveries)
        .values({
          webhookId: hook!.id,
          eventId: row!.id,
          status,
          nextAttemptAt: daysAgo(age),
          createdAt: daysAgo(age),
          updatedAt: daysAgo(age),
        })
        .returning({ id: webhookDeliveries.id });
      await db.insert(webhookAttempts).values({
        deliveryId: delivery!.id,
        attempt: 1,
        responseStatus: 200,
        durationMs: 5,
        createdAt: daysAgo(age),
      });
      return row!.id;
    };
    await event('old-1', 40, 'succeeded');
    await event('old-2', 31, 'succeeded');
    const stuck = await event('old-pending', 40, 'pending');
    const recent = await event('recent', 29, 'succeeded');
    const retention = new Retention(
      stores.retention,
      { runDays: 0, minRuns: 20, deliveryDays: 30 },
      logger,
    );
    expect(await retention.prune(NOW)).toEqual({ runs: 0, events: 2 });
    const ids = async (table: typeof webhookEvents | typeof webhookDeliveries) =>
      (await database.db.select({ id: table.id }).from(table)).length;
    expect(
      (await database.db.select({ id: webhookEvents.id }).from(webhookEvents)).map((r) => r.id),
    ).toEqual([stuck, recent]);
    expect(await ids(webhookDeliveries)).toBe(2);
    const [row] = await database.db.all<{ attempts: number }>(
      sql`SELECT count(*) AS attempts FROM webhook_attempts`,
    );
    expect(Number(row?.attempts)).toBe(2);
  });
});
