import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../shared/logger.js';
import { HEALTH_PAGE, HealthRecorder } from '../shared/services/health-recorder.js';
import { openBetterSqlite } from './better-sqlite3.js';
import { drizzleStores } from './stores.js';
import { FILE_DRIVERS, freshFileDatabases } from '../test/db/file-databases.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
const logger = createJsonLogger({ silent: true });

describe.each(FILE_DRIVERS)('HealthRecorder on %s', (_name, open) => {
  const fresh = freshFileDatabases(open, 'health-recorder');

  /** More jobs than two pages: every third ran, the others are due every 5 minutes and overdue. */
  const setUp = async () => {
    const database = await fresh();
    const stores = drizzleStores(database);
    const count = 2 * HEALTH_PAGE + 10;
    const ids: number[] = [];
    for (let i = 0; i < count; i += 50) {
      const created = await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, (_, k) =>
          stores.jobs.create({
            projectId: 1,
            key: `job-${i + k}`,
            name: `job ${i + k}`,
            description: null,
            type: null,
            schedule: (i + k) % 3 === 0 ? null : '*/5 * * * *',
            graceSeconds: 60,
            now: minutes(-60),
          }),
        ),
      );
      ids.push(...created.map((job) => job.id));
    }
    for (const id of ids.filter((_, i) => i % 3 === 0))
      await stores.runs.createForActiveJob({
        jobId: id,
        status: 'RUNNING',
        createdAt: minutes(-30),
        startedAt: minutes(-30),
        metadata: null,
      });
    return { stores, ids };
  };

  it('pages through every job and records each change once; a second tick has nothing to do', async () => {
    const { stores, ids } = await setUp();
    const recorder = new HealthRecorder(stores.jobs, logger);
    const recorded = await recorder.record(NOW);
    expect([...new Set(recorded.map((t) => t.jobId))].sort((a, b) => a - b)).toEqual(ids);
    for (const [i, id] of ids.entries())
      expect(recorded.filter((t) => t.jobId === id)).toEqual(
        // The ones that ran are up. The others were due every 5 minutes since an hour ago, grace
        // 60 s: down, and through late, which is never skipped.
        i % 3 === 0
          ? [{ jobId: id, from: 'new', to: 'up' }]
          : [
              { jobId: id, from: 'new', to: 'late' },
              { jobId: id, from: 'late', to: 'down' },
            ],
      );
    expect(await recorder.record(NOW)).toEqual([]);
    // Only the scheduled jobs are still read each tick (their health moves with time).
    const stillRead = await stores.jobs.listForHealth(0, 3 * HEALTH_PAGE);
    expect(stillRead.map((job) => job.id)).toEqual(ids.filter((_, i) => i % 3 !== 0));
  });

  it('two recorders racing record each change exactly once between them', async () => {
    const { stores, ids } = await setUp();
    const [a, b] = await Promise.all([
      new HealthRecorder(stores.jobs, logger).record(NOW),
      new HealthRecorder(stores.jobs, logger).record(NOW),
    ]);
    const key = (t: { jobId: number; from: string | null; to: string }) =>
      `${t.jobId} ${t.from} ${t.to}`;
    const expected = ids.flatMap((id, i) =>
      i % 3 === 0 ? [`${id} new up`] : [`${id} new late`, `${id} late down`],
    );
    expect([...a, ...b].map(key).sort()).toEqual(expected.sort());
  });
});

describe('HealthRecorder with an injected clock (SQLite :memory:)', () => {
  /** Every minute, grace 20 s, created at 12:00: expected 12:01:00, late 12:01:20, down 12:01:40. */
  const setUp = async () => {
    const database = openBetterSqlite(':memory:');
    const stores = drizzleStores(database);
    const job = await stores.jobs.create({
      projectId: 1,
      key: 'minutely',
      name: 'minutely',
      description: null,
      type: null,
      schedule: '* * * * *',
      graceSeconds: 20,
      now: NOW,
    });
    database.sqlite
      .prepare(
        `INSERT INTO webhooks (url, events, secret, created_at, updated_at) VALUES ('https://example.com/', '["job.late","job.down","job.up"]', 's', 0, 0)`,
      )
      .run();
    const planned: Array<Date | null> = [];
    const recorder = new HealthRecorder(stores.jobs, logger, {
      planned: (earliest) => planned.push(earliest),
    });
    const events = () =>
      (
        database.sqlite.prepare('SELECT type FROM webhook_events ORDER BY id').all() as Array<{
          type: string;
        }>
      ).map((e) => e.type);
    return { database, stores, job, recorder, planned, events };
  };
  const seconds = (n: number) => new Date(NOW.getTime() + n * 1000);

  it('plans each deadline: late at nextExpectedAt + grace, then down at + 2 x grace, then none', async () => {
    const { database, recorder, planned } = await setUp();
    expect(await recorder.record(seconds(79.999))).toEqual([]);
    expect(await recorder.record(seconds(80))).toMatchObject([{ from: 'new', to: 'late' }]);
    expect(await recorder.record(seconds(100))).toMatchObject([{ from: 'late', to: 'down' }]);
    expect(planned).toEqual([seconds(80), seconds(100), null]);
    await database.close();
  });

  it('a tick past the down deadline records late then down, and both events, in order', async () => {
    // The case: the default 30 s sweep first looked at 12:01:45, past both deadlines.
    const { database, job, recorder, events } = await setUp();
    expect(await recorder.record(seconds(105))).toEqual([
      { jobId: job.id, from: 'new', to: 'late' },
      { jobId: job.id, from: 'late', to: 'down' },
    ]);
    expect(events()).toEqual(['job.late', 'job.down']);
    await database.close();
  });

  it('a failed run makes the job down without late: it did run', async () => {
    const { database, stores, job, recorder, events } = await setUp();
    await recorder.record(seconds(30)); // still new
    const run = await stores.runs.createForActiveJob({
      jobId: job.id,
      status: 'RUNNING',
      createdAt: seconds(31),
      startedAt: seconds(31),
      metadata: null,
    });
    await stores.runs.updateIf(
      run!.id,
      { statuses: ['RUNNING'], startedAt: run!.startedAt },
      { status: 'FAILED', finishedAt: seconds(32) },
    );
    expect(await recorder.record(seconds(33))).toEqual([
      { jobId: job.id, from: 'new', to: 'down' },
    ]);
    expect(events()).toEqual(['job.down']);
    await database.close();
  });
});
