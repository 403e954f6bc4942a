import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type {
  JobRepository,
  JobRunRepository,
  JobSummaryRepository,
} from '../shared/repositories.js';
import { openBetterSqlite } from './better-sqlite3.js';
import { DrizzleJobRepository, DrizzleJobRunRepository } from './drizzle-repositories.js';
import { DrizzleJobSummaryRepository } from './job-summaries.js';
import { isFullScan } from '../test/db/query-plans.js';

const dir = mkdtempSync(join(tmpdir(), 'chronotrack-summaries-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

/**
 * The reference: the same reads through the run repository, a few calls per job (its paged list,
 * window stats and duration ranks), which the SQL store answers in two statements per page.
 */
function perJobReads(
  runs: JobRunRepository,
): Pick<JobSummaryRepository, 'recentRuns' | 'windowSummaries'> {
  return {
    async recentRuns(jobIds, perJob) {
      const pages = await Promise.all(
        jobIds.map((jobId) =>
          runs.list({ jobId, sort: { field: 'createdAt', descending: true }, limit: perJob }),
        ),
      );
      return pages.flat().map(({ id, jobId, status, createdAt, durationMs }) => ({
        id,
        jobId,
        status,
        createdAt,
        durationMs,
      }));
    },
    async windowSummaries(jobIds, from, to) {
      return Promise.all(
        jobIds.map(async (jobId) => {
          const stats = await runs.windowStats(jobId, from, to);
          const n = stats.durationCount;
          const rank = (p: number) =>
            n === 0 ? null : runs.durationAtRank(jobId, from, to, Math.ceil((p * n) / 100) - 1);
          const [p50, p95] = await Promise.all([rank(50), rank(95)]);
          const oldest = (
            await runs.list({ jobId, sort: { field: 'createdAt', descending: false }, limit: 1000 })
          ).find((run) => run.createdAt >= from && run.createdAt < to);
          return {
            jobId,
            counts: stats.counts,
            durationCount: n,
            p50DurationMs: p50 ?? null,
            p95DurationMs: p95 ?? null,
            maxDurationMs: stats.maxDurationMs,
            oldestCreatedAt: oldest?.createdAt ?? null,
          };
        }),
      );
    },
  };
}

/** Three jobs with 40, 3 and 0 runs: a mix of statuses and durations over two hours. */
async function seed(jobs: JobRepository, runs: JobRunRepository) {
  const ids: number[] = [];
  for (const name of ['a', 'b', 'c'])
    ids.push(
      (
        await jobs.create({
          projectId: 1,
          key: name,
          name,
          description: null,
          type: null,
          now: at(0),
        })
      ).id,
    );
  const plan: Array<[number, number]> = [
    ...Array.from({ length: 40 }, (_, i): [number, number] => [ids[0]!, i]),
    [ids[1]!, 100],
    [ids[1]!, 101],
    [ids[1]!, 102],
  ];
  for (const [jobId, minute] of plan) {
    const run = await runs.createForActiveJob({
      jobId,
      status: 'RUNNING',
      createdAt: at(minute),
      startedAt: at(minute),
      metadata: null,
    });
    if (minute % 5 === 4) continue; // stays RUNNING
    const status = minute % 3 === 0 ? 'FAILED' : 'SUCCESS';
    const finishedAt = new Date(at(minute).getTime() + ((minute * 7919) % 60_000));
    await runs.updateIf(
      run!.id,
      { statuses: ['RUNNING'], startedAt: at(minute) },
      { status, finishedAt },
    );
  }
  return ids;
}

describe('job summaries: the SQL store agrees with the per-job reads', () => {
  it('gives the same recent runs and window figures as the run repository', async () => {
    const database = openBetterSqlite(join(dir, 'agree.db'));
    const ids = await seed(
      new DrizzleJobRepository(database),
      new DrizzleJobRunRepository(database),
    );
    const sql: JobSummaryRepository = new DrizzleJobSummaryRepository(database);
    const reference = perJobReads(new DrizzleJobRunRepository(database));
    const byJob = <T extends { jobId: number }>(rows: T[]) =>
      [...rows].sort((a, b) => a.jobId - b.jobId);
    for (const perJob of [1, 30]) {
      expect(await sql.recentRuns(ids, perJob)).toEqual(
        byJob(await reference.recentRuns(ids, perJob)),
      );
    }
    expect((await sql.recentRuns(ids, 30)).filter((r) => r.jobId === ids[0])).toHaveLength(30);
    for (const [from, to] of [
      [at(0), at(200)],
      [at(10), at(101)],
      [at(300), at(400)],
    ] as const) {
      const reads = await reference.windowSummaries(ids, from, to);
      // The SQL store leaves out jobs without runs in the window; the service fills them in.
      expect(byJob(await sql.windowSummaries(ids, from, to))).toEqual(
        byJob(reads.filter((w) => Object.values(w.counts).some((n) => n > 0))),
      );
    }
    expect(await sql.recentRuns([], 30)).toEqual([]);
    expect(await sql.windowSummaries([], at(0), at(1))).toEqual([]);
    await database.close();
  });
});

describe('job summaries: freshness', () => {
  it("counts every insert, update and delete of a job's runs, and finds the next run from an instant", async () => {
    const database = openBetterSqlite(join(dir, 'freshness.db'));
    const [jobsRepo, runs] = [
      new DrizzleJobRepository(database),
      new DrizzleJobRunRepository(database),
    ];
    const ids = await seed(jobsRepo, runs);
    const repo = new DrizzleJobSummaryRepository(database);
    const changes = async () =>
      [...(await repo.freshness(ids, at(0))).values()].map((f) => f.runChanges);
    // Job a: 40 inserts and 32 finishing updates; b: 3 inserts and 3 updates; c: never a run.
    expect(await changes()).toEqual([72, 6, 0]);
    const run = await runs.createForActiveJob({
      jobId: ids[2]!,
      status: 'RUNNING',
      createdAt: at(500),
      startedAt: at(500),
      metadata: null,
    });
    expect(await changes()).toEqual([72, 6, 1]);
    expect(await runs.recordHeartbeat(run!.id, at(501))).toBe(true);
    expect(await changes()).toEqual([72, 6, 2]);
    database.sqlite.prepare('DELETE FROM job_runs WHERE id = ?').run(run!.id);
    expect(await changes()).toEqual([72, 6, 3]);

    const first = await repo.freshness(ids, at(39));
    expect(first.get(ids[0]!)?.firstCreatedAtOrAfter).toEqual(at(39));
    expect(first.get(ids[1]!)?.firstCreatedAtOrAfter).toEqual(at(100));
    expect(first.get(ids[2]!)?.firstCreatedAtOrAfter).toBeNull();
    expect((await repo.freshness(ids, at(40))).get(ids[0]!)?.firstCreatedAtOrAfter).toBeNull();
    expect(await repo.freshness([], at(0))).toEqual(new Map());
    await database.close();
  });
});

describe('job summaries: query plans', () => {
  it('seek an index per job of the page, never scan a table', async () => {
    const database = openBetterSqlite(join(dir, 'plans.db'));
    const sqlite = database.reader;
    const captured: string[] = [];
    const prepare = sqlite.prepare;
    sqlite.prepare = ((source: string) => {
      captured.push(source);
      return prepare.call(sqlite, source);
    }) as typeof sqlite.prepare;
    try {
      const repo = new DrizzleJobSummaryRepository(database);
      await repo.recentRuns([1, 2, 3], 30);
      await repo.windowSummaries([1, 2, 3], at(0), at(100));
      await repo.freshness([1, 2, 3], at(100));
    } finally {
      sqlite.prepare = prepare;
    }
    expect(captured).toHaveLength(4);
    for (const statement of captured) {
      const nulls = Array<null>(statement.split('?').length - 1).fill(null);
      const plan = (
        sqlite.prepare(`EXPLAIN QUERY PLAN ${statement}`).all(...nulls) as Array<{
          detail: string;
        }>
      ).map((row) => row.detail);
      expect(plan.filter(isFullScan), plan.join(' | ')).toEqual([]);
      // Every read of job_runs is a seek by job: the page's jobs, never the whole history.
      expect(
        plan.filter((line) => /\bjob_runs\b|\bnewer\b/.test(line) && !/USING/.test(line)),
      ).toEqual([]);
      expect(plan.join(' | ')).toMatch(/job_runs_job_created_idx \(job_id=\?/);
    }
    await database.close();
  });
});
