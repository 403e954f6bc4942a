import { beforeEach, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { testRuntime } from '../../test/support/runtime.js';
import { DomainError, type ErrorCode } from '../errors.js';
import { createJsonLogger } from '../logger.js';
import type { Services } from './index.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
/** These tests are about runs, not tenancy: they act as a key that sees every project. */
const ALL_PROJECTS = null;

async function expectCode(promise: Promise<unknown>, code: ErrorCode) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
}

describe('RunService (SQLite :memory:)', () => {
  let services: Services;
  let now: Date;
  let jobId: number;

  beforeEach(async () => {
    now = T0;
    const logger = createJsonLogger({ silent: true });
    services = testRuntime(openBetterSqlite(':memory:'), logger, { now: () => now }).services;
    jobId = (await services.jobs.create({ name: 'Nightly backup' }, ALL_PROJECTS)).id;
  });

  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  it('creates PENDING runs by default and RUNNING runs with a start time', async () => {
    const pending = await services.runs.create(jobId, {}, ALL_PROJECTS);
    expect(pending).toMatchObject({
      status: 'PENDING',
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      metadata: null,
    });
    const running = await services.runs.create(
      jobId,
      {
        status: 'RUNNING',
        metadata: { host: 'a' },
      },
      ALL_PROJECTS,
    );
    expect(running).toMatchObject({ status: 'RUNNING', startedAt: T0, metadata: { host: 'a' } });
  });

  it('stamps startedAt on RUNNING and finishedAt on a terminal state, deriving the duration', async () => {
    const run = await services.runs.create(jobId, {}, ALL_PROJECTS);
    advance(1000);
    const running = await services.runs.update(run.id, { status: 'RUNNING' }, ALL_PROJECTS);
    expect(running.startedAt).toEqual(new Date(T0.getTime() + 1000));
    advance(2500);
    const done = await services.runs.update(run.id, { status: 'SUCCESS' }, ALL_PROJECTS);
    expect(done).toMatchObject({
      status: 'SUCCESS',
      durationMs: 2500,
      finishedAt: new Date(T0.getTime() + 3500),
    });
  });

  it('accepts client timestamps and rejects a finish before the start', async () => {
    const run = await services.runs.create(jobId, {}, ALL_PROJECTS);
    await services.runs.update(
      run.id,
      { status: 'RUNNING', startedAt: '2025-12-31T23:00:00Z' },
      ALL_PROJECTS,
    );
    await expectCode(
      services.runs.update(
        run.id,
        { status: 'SUCCESS', finishedAt: '2025-12-31T22:00:00Z' },
        ALL_PROJECTS,
      ),
      'VALIDATION_FAILED',
    );
    const done = await services.runs.update(
      run.id,
      {
        status: 'SUCCESS',
        finishedAt: '2025-12-31T23:30:00+00:00',
      },
      ALL_PROJECTS,
    );
    expect(done.durationMs).toBe(30 * 60 * 1000);
  });

  it('enforces the status machine', async () => {
    const run = await services.runs.create(jobId, {}, ALL_PROJECTS);
    await expectCode(
      services.runs.update(run.id, { status: 'SUCCESS' }, ALL_PROJECTS),
      'INVALID_TRANSITION',
    );
    await services.runs.update(run.id, { status: 'CANCELLED' }, ALL_PROJECTS);
    await expectCode(
      services.runs.update(run.id, { status: 'RUNNING' }, ALL_PROJECTS),
      'INVALID_TRANSITION',
    );
    await expectCode(
      services.runs.update(run.id, { status: 'CANCELLED' }, ALL_PROJECTS),
      'INVALID_TRANSITION',
    );
  });

  it('only accepts errorMessage with FAILED, finishedAt with a terminal status', async () => {
    const run = await services.runs.create(jobId, { status: 'RUNNING' }, ALL_PROJECTS);
    await expectCode(
      services.runs.update(run.id, { errorMessage: 'x' }, ALL_PROJECTS),
      'VALIDATION_FAILED',
    );
    await expectCode(
      services.runs.update(run.id, { status: 'SUCCESS', errorMessage: 'x' }, ALL_PROJECTS),
      'VALIDATION_FAILED',
    );
    await expectCode(
      services.runs.update(run.id, { finishedAt: '2026-01-01T00:00:00Z' }, ALL_PROJECTS),
      'VALIDATION_FAILED',
    );
    const failed = await services.runs.update(
      run.id,
      { status: 'FAILED', errorMessage: 'exit 1' },
      ALL_PROJECTS,
    );
    expect(failed.errorMessage).toBe('exit 1');
  });

  it('refuses startedAt on a run that never ran, and timestamp edits on a finished run', async () => {
    const pending = await services.runs.create(jobId, {}, ALL_PROJECTS);
    await expectCode(
      services.runs.update(pending.id, { startedAt: '2026-01-01T00:00:00Z' }, ALL_PROJECTS),
      'VALIDATION_FAILED',
    );
    await expectCode(
      services.runs.update(
        pending.id,
        { status: 'CANCELLED', startedAt: '2026-01-01T00:00:00Z' },
        ALL_PROJECTS,
      ),
      'VALIDATION_FAILED',
    );
    const done = await services.runs.create(jobId, { status: 'RUNNING' }, ALL_PROJECTS);
    await services.runs.update(done.id, { status: 'SUCCESS' }, ALL_PROJECTS);
    await expectCode(
      services.runs.update(done.id, { startedAt: '2026-01-01T00:00:00Z' }, ALL_PROJECTS),
      'RUN_FINISHED',
    );
  });

  it('lets metadata change at any time and treats an empty patch as a no-op', async () => {
    const run = await services.runs.create(jobId, { status: 'RUNNING' }, ALL_PROJECTS);
    await services.runs.update(run.id, { status: 'SUCCESS' }, ALL_PROJECTS);
    const amended = await services.runs.update(
      run.id,
      { metadata: { artifact: 's3://x' } },
      ALL_PROJECTS,
    );
    expect(amended).toMatchObject({ status: 'SUCCESS', metadata: { artifact: 's3://x' } });
    expect(await services.runs.update(run.id, {}, ALL_PROJECTS)).toEqual(amended);
  });

  it('gives exactly one winner when updates race', async () => {
    const run = await services.runs.create(jobId, { status: 'RUNNING' }, ALL_PROJECTS);
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        services.runs.update(run.id, { status: i % 2 ? 'SUCCESS' : 'FAILED' }, ALL_PROJECTS),
      ),
    );
    const winners = attempts.filter((a) => a.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const loser of attempts.filter((a) => a.status === 'rejected')) {
      expect(((loser as PromiseRejectedResult).reason as DomainError).code).toBe(
        'INVALID_TRANSITION',
      );
    }
    const stored = await services.runs.get(run.id, ALL_PROJECTS);
    expect(stored.status).toBe(
      (winners[0] as PromiseFulfilledResult<{ status: string }>).value.status,
    );
  });

  it('computes stats over a window measured back from its clock', async () => {
    for (const [status, ms] of [
      ['SUCCESS', 1000],
      ['SUCCESS', 3000],
      ['FAILED', 2000],
    ] as const) {
      const run = await services.runs.create(jobId, { status: 'RUNNING' }, ALL_PROJECTS);
      advance(ms);
      await services.runs.update(
        run.id,
        {
          status,
          ...(status === 'FAILED' ? { errorMessage: 'x' } : {}),
        },
        ALL_PROJECTS,
      );
    }
    advance(30 * 60_000);
    const stats = await services.runs.stats(jobId, { window: '1h' }, ALL_PROJECTS);
    expect(stats).toMatchObject({
      total: 3,
      counts: { SUCCESS: 2, FAILED: 1 },
      successRate: 2 / 3,
      durationMs: { count: 3, p50: 2000, p95: 3000, max: 3000 },
      to: now,
      from: new Date(now.getTime() - 3_600_000),
    });
    advance(2 * 3_600_000);
    expect((await services.runs.stats(jobId, { window: '1h' }, ALL_PROJECTS)).total).toBe(0);
    await expectCode(
      services.runs.stats(jobId, { window: '367d' }, ALL_PROJECTS),
      'VALIDATION_FAILED',
    );
    await expectCode(
      services.runs.stats(
        jobId,
        { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
        ALL_PROJECTS,
      ),
      'VALIDATION_FAILED',
    );
    await expectCode(services.runs.stats(999, {}, ALL_PROJECTS), 'JOB_NOT_FOUND');
  });

  it('refuses runs for missing and archived jobs', async () => {
    await expectCode(services.runs.create(999, {}, ALL_PROJECTS), 'JOB_NOT_FOUND');
    await services.jobs.update(jobId, { archived: true }, ALL_PROJECTS);
    await expectCode(services.runs.create(jobId, {}, ALL_PROJECTS), 'JOB_ARCHIVED');
    await expectCode(services.runs.get(999, ALL_PROJECTS), 'RUN_NOT_FOUND');
    await expectCode(services.runs.listOfJob(999, {}, ALL_PROJECTS), 'JOB_NOT_FOUND');
    // As a filter of the list across jobs, a missing job is an empty page.
    expect((await services.runs.list({ jobId: 999 }, ALL_PROJECTS)).data).toEqual([]);
  });

  it("reads a job's runs page and its run change counter together", async () => {
    const counter = () => services.runs.runsVersion(jobId, ALL_PROJECTS);
    const read = (params = {}) => services.runs.listOfJob(jobId, params, ALL_PROJECTS);
    // No runs: the empty page asks for the counter alone.
    expect(await read()).toEqual({
      page: { data: [], nextCursor: null },
      runChanges: await counter(),
    });

    const other = (await services.jobs.create({ name: 'Other' }, ALL_PROJECTS)).id;
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await services.runs.create(jobId, {}, ALL_PROJECTS));
    await services.runs.update(runs[0]!.id, { status: 'RUNNING' }, ALL_PROJECTS);
    const before = await counter();
    // Another job's writes move only that job's counter.
    await services.runs.create(other, {}, ALL_PROJECTS);
    const full = await read({ limit: 2 });
    expect(full.runChanges).toBe(before);
    expect(full.runChanges).toBe(await counter());
    expect(full.page.data.map((run) => run.id)).toEqual([runs[2]!.id, runs[1]!.id]);
    expect(full.page).toEqual(await services.runs.list({ jobId, limit: 2 }, ALL_PROJECTS));

    // Past the last page, and a filter nothing matches: empty pages still carry the counter.
    const last = await read({ limit: 2, cursor: full.page.nextCursor! });
    expect(last.page.data.map((run) => run.id)).toEqual([runs[0]!.id]);
    expect(last.runChanges).toBe(before);
    expect(await read({ status: ['FAILED'] })).toEqual({
      page: { data: [], nextCursor: null },
      runChanges: before,
    });

    await services.runs.update(runs[0]!.id, { status: 'SUCCESS' }, ALL_PROJECTS);
    expect((await read()).runChanges).toBeGreaterThan(before);
    expect((await read()).runChanges).toBe(await counter());
  });
});

describe('JobService (SQLite :memory:)', () => {
  it('pages newest first and hides archived jobs unless asked', async () => {
    const { services } = testRuntime(openBetterSqlite(':memory:'));
    for (let i = 1; i <= 5; i++)
      await services.jobs.create({ name: `job ${i}`, type: i % 2 ? 'etl' : null }, ALL_PROJECTS);
    await services.jobs.update(2, { archived: true }, ALL_PROJECTS);

    const first = await services.jobs.list({ limit: 2 }, ALL_PROJECTS);
    expect(first.data.map((j) => j.id)).toEqual([5, 4]);
    const second = await services.jobs.list({ limit: 2, cursor: first.nextCursor! }, ALL_PROJECTS);
    expect(second.data.map((j) => j.id)).toEqual([3, 1]);
    expect(second.nextCursor).toBeNull();
    expect(
      (await services.jobs.list({ archived: 'true' }, ALL_PROJECTS)).data.map((j) => j.id),
    ).toEqual([2]);
    expect((await services.jobs.list({ archived: 'all' }, ALL_PROJECTS)).data).toHaveLength(5);
    await expectCode(services.jobs.get(42, ALL_PROJECTS), 'JOB_NOT_FOUND');
    await expectCode(services.jobs.update(42, { name: 'x' }, ALL_PROJECTS), 'JOB_NOT_FOUND');
  });
});
