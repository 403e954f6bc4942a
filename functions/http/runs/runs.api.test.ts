import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';
import { client, type Client } from '../../../test/support/client.js';
import { expectProblem } from '../../../test/api/expect-problem.js';

describeOnEveryDriver((getHarness) => {
  describe('runs', () => {
    let api: Client;
    let jobId: number;
    beforeAll(async () => {
      api = client(getHarness().target);
      jobId = (await api.job('Runs suite')).id;
    });

    it('POST /jobs/:id/runs with no body at all creates a PENDING run', async () => {
      const res = await api.call('POST', `/api/jobs/${jobId}/runs`);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        jobId,
        status: 'PENDING',
        createdAt: expect.any(String),
        startedAt: null,
        finishedAt: null,
        durationMs: null,
        errorMessage: null,
        metadata: null,
        exitCode: null,
        lastHeartbeatAt: null,
        slow: false,
      });
      expect(res.headers.get('Location')).toBe(`/api/runs/${res.body.id}`);
      // The run by itself also has its output (none yet).
      expect((await api.get(`/api/runs/${res.body.id}`)).body).toEqual({
        ...res.body,
        output: null,
      });
    });

    it('an empty JSON body counts as {}', async () => {
      const res = await api.call('POST', `/api/jobs/${jobId}/runs`, {
        body: '',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('PENDING');
    });

    it('a run created RUNNING gets a start time and keeps its metadata', async () => {
      const metadata = {
        triggeredBy: 'cron',
        params: { date: '2026-11-22', retries: 2 },
        tags: ['a', 'b'],
      };
      const res = await api.post(`/api/jobs/${jobId}/runs`, { status: 'RUNNING', metadata });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'RUNNING', metadata });
      expect(Date.parse(res.body.startedAt)).toBeGreaterThanOrEqual(Date.parse(res.body.createdAt));
    });

    it('moves PENDING → RUNNING → SUCCESS, stamping times and the duration', async () => {
      const run = await api.run(jobId);
      const running = await api.patch(`/api/runs/${run.id}`, { status: 'RUNNING' });
      expect(running.status).toBe(200);
      expect(running.body.startedAt).not.toBeNull();
      const done = await api.patch(`/api/runs/${run.id}`, { status: 'SUCCESS' });
      expect(done.status).toBe(200);
      expect(done.body.status).toBe('SUCCESS');
      expect(done.body.durationMs).toBe(
        Date.parse(done.body.finishedAt) - Date.parse(done.body.startedAt),
      );
      expect(done.body.durationMs).toBeGreaterThanOrEqual(0);
      expect((await api.get(`/api/runs/${run.id}`)).body).toEqual(done.body);
    });

    it('records a failure with its error message', async () => {
      const run = await api.run(jobId, { status: 'RUNNING' });
      const res = await api.patch(`/api/runs/${run.id}`, {
        status: 'FAILED',
        errorMessage: 'exit code 3',
      });
      expect(res.body).toMatchObject({ status: 'FAILED', errorMessage: 'exit code 3' });
    });

    it('accepts client timestamps and derives durationMs from them', async () => {
      const run = await api.run(jobId);
      await api.patch(`/api/runs/${run.id}`, {
        status: 'RUNNING',
        startedAt: '2026-11-01T10:00:00Z',
      });
      const res = await api.patch(`/api/runs/${run.id}`, {
        status: 'SUCCESS',
        finishedAt: '2026-11-01T10:01:30.250+00:00',
      });
      expect(res.body).toMatchObject({
        startedAt: '2026-11-01T10:00:00.000Z',
        finishedAt: '2026-11-01T10:01:30.250Z',
        durationMs: 90_250,
      });
    });

    it('rejects a finish before the start with 400', async () => {
      const run = await api.run(jobId);
      await api.patch(`/api/runs/${run.id}`, {
        status: 'RUNNING',
        startedAt: '2026-11-01T10:00:00Z',
      });
      expectProblem(
        await api.patch(`/api/runs/${run.id}`, {
          status: 'SUCCESS',
          finishedAt: '2026-11-01T09:00:00Z',
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect((await api.get(`/api/runs/${run.id}`)).body.status).toBe('RUNNING');
    });

    it('refuses forbidden transitions with 409 and leaves the run alone', async () => {
      const pending = await api.run(jobId);
      expectProblem(
        await api.patch(`/api/runs/${pending.id}`, { status: 'SUCCESS' }),
        409,
        'INVALID_TRANSITION',
      );
      expectProblem(
        await api.patch(`/api/runs/${pending.id}`, { status: 'PENDING' }),
        409,
        'INVALID_TRANSITION',
      );
      const cancelled = await api.patch(`/api/runs/${pending.id}`, { status: 'CANCELLED' });
      expect(cancelled.body).toMatchObject({
        status: 'CANCELLED',
        startedAt: null,
        durationMs: null,
      });
      expect(cancelled.body.finishedAt).not.toBeNull();
      for (const status of ['RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED', 'PENDING']) {
        expectProblem(
          await api.patch(`/api/runs/${pending.id}`, { status }),
          409,
          'INVALID_TRANSITION',
        );
      }
      expect((await api.get(`/api/runs/${pending.id}`)).body).toEqual(cancelled.body);
    });

    it('only takes errorMessage with FAILED and finishedAt with a terminal status', async () => {
      const run = await api.run(jobId, { status: 'RUNNING' });
      expectProblem(
        await api.patch(`/api/runs/${run.id}`, { status: 'SUCCESS', errorMessage: 'no' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await api.patch(`/api/runs/${run.id}`, { finishedAt: '2030-01-01T00:00:00Z' }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('lets metadata be amended after the run finished, but not its timestamps', async () => {
      const run = await api.run(jobId, { status: 'RUNNING' });
      await api.patch(`/api/runs/${run.id}`, { status: 'SUCCESS' });
      const amended = await api.patch(`/api/runs/${run.id}`, {
        metadata: { artifact: 'build-42.tar.gz' },
      });
      expect(amended.body).toMatchObject({
        status: 'SUCCESS',
        metadata: { artifact: 'build-42.tar.gz' },
      });
      expectProblem(
        await api.patch(`/api/runs/${run.id}`, { startedAt: '2026-01-01T00:00:00Z' }),
        409,
        'RUN_FINISHED',
      );
    });

    it('GET /jobs/:id/runs pages one job newest first', async () => {
      const job = (await api.job('Paged runs')).id;
      const other = (await api.job('Other')).id;
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await api.run(job)).id);
        await api.run(other);
      }
      const first = await api.get(`/api/jobs/${job}/runs?limit=3`);
      expect(first.status).toBe(200);
      expect(first.body.data.map((r: { id: number }) => r.id)).toEqual(ids.slice(2).reverse());
      expect(first.body.data.every((r: { jobId: number }) => r.jobId === job)).toBe(true);
      const second = await api.get(`/api/jobs/${job}/runs?limit=3&cursor=${first.body.nextCursor}`);
      expect(second.body.data.map((r: { id: number }) => r.id)).toEqual(ids.slice(0, 2).reverse());
      expect(second.body.nextCursor).toBeNull();
      const empty = await api.get(`/api/jobs/${(await api.job('No runs')).id}/runs`);
      expect(empty.body).toEqual({ data: [], nextCursor: null });
    });

    it('paging while runs are added neither repeats nor skips', async () => {
      const job = (await api.job('Growing')).id;
      const initial: number[] = [];
      for (let i = 0; i < 6; i++) initial.push((await api.run(job)).id);
      const first = await api.get(`/api/jobs/${job}/runs?limit=2`);
      await api.run(job);
      await api.run(job);
      const seen = first.body.data.map((r: { id: number }) => r.id);
      let cursor = first.body.nextCursor;
      while (cursor) {
        const page = await api.get(`/api/jobs/${job}/runs?limit=2&cursor=${cursor}`);
        seen.push(...page.body.data.map((r: { id: number }) => r.id));
        cursor = page.body.nextCursor;
      }
      expect(seen).toEqual([...initial].reverse());
    });

    it('GET and PATCH of a missing run are 404', async () => {
      expectProblem(await api.get('/api/runs/987654321'), 404, 'RUN_NOT_FOUND');
      expectProblem(
        await api.patch('/api/runs/987654321', { status: 'RUNNING' }),
        404,
        'RUN_NOT_FOUND',
      );
    });
  });
});
