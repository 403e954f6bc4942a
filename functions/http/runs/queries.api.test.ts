import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';
import { client, type Client } from '../../../test/support/client.js';
import { expectProblem } from '../../../test/api/expect-problem.js';

type Run = {
  id: number;
  jobId: number;
  status: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
};

/** Filters, sorts and keyset paging of GET /jobs, GET /jobs/{id}/runs and GET /runs; job stats. */
describeOnEveryDriver((getHarness) => {
  describe('queries', () => {
    let api: Client;
    // A type no other suite uses, so every list below can be scoped to this suite's data.
    const type = `q-${Math.random().toString(36).slice(2, 10)}`;
    let jobA: number;
    let jobB: number;
    const runs: Run[] = [];

    /** Follows nextCursor (checking Link agrees with it) and returns every item, in order. */
    async function all<T = Run>(path: string, limit = 2): Promise<T[]> {
      const items: T[] = [];
      let url = `${path}${path.includes('?') ? '&' : '?'}limit=${limit}`;
      for (let pages = 0; pages < 200; pages++) {
        const res = await api.get(url);
        expect(res.status, res.text).toBe(200);
        items.push(...res.body.data);
        const next = res.body.nextCursor as string | null;
        const link = res.headers.get('Link');
        if (!next) {
          expect(link).toBeNull();
          return items;
        }
        expect(link).toMatch(/^<\/[^>]*cursor=[^>]+>; rel="next"$/);
        url = link!.slice(1, link!.indexOf('>'));
        expect(new URL(url, 'http://x').searchParams.get('cursor')).toBe(next);
      }
      throw new Error('too many pages');
    }

    beforeAll(async () => {
      api = client(getHarness().target);
      jobA = (await api.job('Nightly backup', { type })).id;
      jobB = (await api.job('Daily ETL', { type })).id;
      // Run histories with known durations: job A 6 runs, job B 4 runs, a mix of outcomes.
      const plan: Array<[number, string, number | null]> = [
        [jobA, 'SUCCESS', 1000],
        [jobA, 'FAILED', 5000],
        [jobB, 'SUCCESS', 2000],
        [jobA, 'SUCCESS', 3000],
        [jobB, 'CANCELLED', null],
        [jobA, 'RUNNING', null],
        [jobB, 'FAILED', 4000],
        [jobA, 'PENDING', null],
        [jobA, 'SUCCESS', 7000],
        [jobB, 'PENDING', null],
      ];
      let minute = 0;
      for (const [jobId, status, duration] of plan) {
        const run = await api.run(jobId, status === 'PENDING' ? {} : { status: 'RUNNING' });
        minute++;
        let body: Run = run as unknown as Run;
        const startedAt = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
        if (status === 'CANCELLED')
          body = (await api.patch(`/api/runs/${run.id}`, { status })).body;
        else if (status !== 'PENDING') {
          body = (await api.patch(`/api/runs/${run.id}`, { startedAt })).body;
          if (duration !== null) {
            const finishedAt = new Date(Date.parse(startedAt) + duration).toISOString();
            body = (
              await api.patch(`/api/runs/${run.id}`, {
                status,
                finishedAt,
                ...(status === 'FAILED' ? { errorMessage: 'x' } : {}),
              })
            ).body;
          }
        }
        runs.push(body);
      }
    });

    const ids = (items: Array<{ id: number }>) => items.map((item) => item.id);
    const newestFirst = (items: Run[]) =>
      [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);

    it('GET /runs filters by job type and pages newest first, Link and cursor agreeing', async () => {
      const listed = await all(`/api/runs?jobType=${type}`, 3);
      expect(ids(listed)).toEqual(ids(newestFirst(runs)));
    });

    it('GET /runs?jobId= and GET /jobs/{id}/runs agree', async () => {
      const viaRuns = await all(`/api/runs?jobId=${jobA}`);
      const viaJob = await all(`/api/jobs/${jobA}/runs`);
      expect(ids(viaRuns)).toEqual(ids(viaJob));
      expect(ids(viaJob)).toEqual(ids(newestFirst(runs.filter((r) => r.jobId === jobA))));
    });

    it('status filters: one, comma-separated, repeated', async () => {
      const failed = await all(`/api/runs?jobType=${type}&status=FAILED`);
      expect(ids(failed)).toEqual(ids(newestFirst(runs.filter((r) => r.status === 'FAILED'))));
      const endedBadly = newestFirst(
        runs.filter((r) => r.status === 'FAILED' || r.status === 'CANCELLED'),
      );
      expect(ids(await all(`/api/runs?jobType=${type}&status=FAILED,CANCELLED`))).toEqual(
        ids(endedBadly),
      );
      expect(ids(await all(`/api/runs?jobType=${type}&status=CANCELLED&status=FAILED`))).toEqual(
        ids(endedBadly),
      );
      expect(ids(await all(`/api/jobs/${jobA}/runs?status=SUCCESS`, 1))).toEqual(
        ids(newestFirst(runs.filter((r) => r.jobId === jobA && r.status === 'SUCCESS'))),
      );
    });

    it('sorts by durationMs both ways, listing only runs that have one', async () => {
      const withDuration = runs.filter((r) => r.durationMs !== null);
      const longest = await all(`/api/runs?jobType=${type}&sort=-durationMs`);
      expect(longest.map((r) => r.durationMs)).toEqual(
        withDuration.map((r) => r.durationMs).sort((a, b) => b! - a!),
      );
      const shortest = await all(`/api/jobs/${jobA}/runs?sort=durationMs`, 1);
      expect(shortest.map((r) => r.durationMs)).toEqual([1000, 3000, 5000, 7000]);
    });

    it('sorts by startedAt and finishedAt, and createdAt ascending', async () => {
      const started = await all(`/api/runs?jobType=${type}&sort=startedAt`);
      expect(started.map((r) => r.startedAt)).toEqual(
        runs
          .filter((r) => r.startedAt)
          .map((r) => r.startedAt)
          .sort(),
      );
      const finished = await all(`/api/runs?jobType=${type}&sort=-finishedAt`);
      expect(finished.map((r) => r.finishedAt)).toEqual(
        runs
          .filter((r) => r.finishedAt)
          .map((r) => r.finishedAt)
          .sort()
          .reverse(),
      );
      expect(ids(await all(`/api/runs?jobType=${type}&sort=createdAt`, 4))).toEqual(
        ids(newestFirst(runs)).reverse(),
      );
    });

    it('time ranges: After is inclusive, Before exclusive', async () => {
      const third = runs
        .filter((r) => r.startedAt)
        .sort((a, b) => a.startedAt!.localeCompare(b.startedAt!))[2]!;
      const from = third.startedAt!;
      const expected = runs.filter((r) => r.startedAt && r.startedAt >= from);
      expect(
        ids(await all(`/api/runs?jobType=${type}&startedAfter=${from}&sort=startedAt`)),
      ).toEqual(ids(expected.sort((a, b) => a.startedAt!.localeCompare(b.startedAt!))));
      const before = await all(`/api/runs?jobType=${type}&startedBefore=${from}`);
      expect(before.every((r) => r.startedAt! < from)).toBe(true);
      expect(before.length + expected.length).toBe(runs.filter((r) => r.startedAt).length);
      const created = runs.map((r) => r.createdAt).sort();
      const mid = created[5]!;
      const createdWindow = await all(
        `/api/runs?jobType=${type}&createdAfter=${created[2]}&createdBefore=${mid}`,
      );
      expect(createdWindow.every((r) => r.createdAt >= created[2]! && r.createdAt < mid)).toBe(
        true,
      );
      const finished = await all(
        `/api/runs?jobType=${type}&finishedAfter=2026-01-01T00:00:00Z&finishedBefore=2030-01-01T00:00:00Z&status=SUCCESS`,
      );
      expect(ids(finished).sort()).toEqual(ids(runs.filter((r) => r.status === 'SUCCESS')).sort());
    });

    it('GET /jobs filters by type and q, sorts by name, and pages', async () => {
      expect((await all<{ id: number }>(`/api/jobs?type=${type}`, 1)).map((j) => j.id)).toEqual([
        jobB,
        jobA,
      ]);
      expect(
        (await all<{ id: number }>(`/api/jobs?type=${type}&q=BACKUP`)).map((j) => j.id),
      ).toEqual([jobA]);
      expect(
        (await all<{ name: string }>(`/api/jobs?type=${type}&sort=name`, 1)).map((j) => j.name),
      ).toEqual(['Daily ETL', 'Nightly backup']);
      expect(
        (await all<{ name: string }>(`/api/jobs?type=${type}&sort=-name`, 1)).map((j) => j.name),
      ).toEqual(['Nightly backup', 'Daily ETL']);
      expect(await all(`/api/jobs?type=${type}&q=%25`)).toEqual([]); // a literal %, not a wildcard
      await api.patch(`/api/jobs/${jobA}`, { description: 'touched' });
      expect(
        (await all<{ id: number }>(`/api/jobs?type=${type}&sort=-updatedAt`)).map((j) => j.id)[0],
      ).toBe(jobA);
    });

    it('a cursor only works for the list and sort it came from', async () => {
      const first = await api.get(`/api/runs?jobType=${type}&limit=2`);
      const cursor = first.body.nextCursor;
      expect((await api.get(`/api/runs?jobType=${type}&limit=5&cursor=${cursor}`)).status).toBe(
        200,
      );
      expectProblem(
        await api.get(`/api/runs?jobType=${type}&sort=createdAt&cursor=${cursor}`),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await api.get(`/api/runs?jobType=${type}&status=FAILED&cursor=${cursor}`),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(await api.get(`/api/jobs?cursor=${cursor}`), 400, 'VALIDATION_FAILED');
    });

    it('400 for bad filter values', async () => {
      for (const query of [
        'status=DONE',
        'status=',
        'sort=name',
        'sort=-durationms',
        'jobId=abc',
        'createdAfter=yesterday',
        'jobType=',
      ]) {
        expectProblem(await api.get(`/api/runs?${query}`), 400, 'VALIDATION_FAILED');
      }
      for (const query of ['sort=status', 'archived=maybe', 'q=', 'type=']) {
        expectProblem(await api.get(`/api/jobs?${query}`), 400, 'VALIDATION_FAILED');
      }
      expectProblem(
        await api.get(`/api/jobs/${jobA}/runs?jobId=${jobB}`),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('GET /jobs/{id}/stats summarises a window', async () => {
      const res = await api.get(`/api/jobs/${jobA}/stats?window=7d`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        jobId: jobA,
        total: 6,
        counts: { PENDING: 1, RUNNING: 1, SUCCESS: 3, FAILED: 1, CANCELLED: 0 },
        successRate: 0.75,
        durationMs: { count: 4, p50: 3000, p95: 7000, max: 7000 },
      });
      const mine = runs.filter((r) => r.jobId === jobA);
      expect(res.body.lastRun.id).toBe(Math.max(...ids(mine)));
      expect(res.body.lastSuccess.id).toBe(
        Math.max(...ids(mine.filter((r) => r.status === 'SUCCESS'))),
      );
      expect(res.body.lastFailure.id).toBe(ids(mine.filter((r) => r.status === 'FAILED'))[0]);
      expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBe(7 * 86_400_000);
    });

    it('stats over an explicit range, an empty window, and bad windows', async () => {
      const empty = await api.get(
        `/api/jobs/${jobB}/stats?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`,
      );
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({
        total: 0,
        successRate: null,
        durationMs: { count: 0, p50: null, p95: null, max: null },
      });
      expect(empty.body.lastRun).not.toBeNull(); // the latest runs are not limited to the window
      expectProblem(await api.get(`/api/jobs/${jobA}/stats?window=7w`), 400, 'VALIDATION_FAILED');
      expectProblem(await api.get(`/api/jobs/${jobA}/stats?window=400d`), 400, 'VALIDATION_FAILED');
      expectProblem(
        await api.get(`/api/jobs/${jobA}/stats?window=7d&from=2026-01-01T00:00:00Z`),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await api.get(`/api/jobs/${jobA}/stats?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(await api.get('/api/jobs/987654321/stats'), 404, 'JOB_NOT_FOUND');
    });
  });
});
