import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';
import { client, clientWithNewKey, type Client } from '../../../test/support/client.js';
import { expectProblem } from '../../../test/api/expect-problem.js';

type Summary = {
  job: { id: number; name: string; projectId: number };
  recentRuns: Array<{ id: number; status: string; createdAt: string; durationMs: number | null }>;
  stats: {
    total: number;
    counts: Record<string, number>;
    successRate: number | null;
    durationMs: { count: number; p50: number | null; p95: number | null; max: number | null };
  };
};

/** GET /api/jobs/summaries: the jobs page of the dashboard, in one call. */
describeOnEveryDriver((getHarness) => {
  describe('job summaries', () => {
    let admin: Client;
    const type = `s-${Math.random().toString(36).slice(2, 10)}`;
    let busy: number;
    let quiet: number;
    let idle: number;
    const busyRuns: number[] = [];

    /** A run of `jobId` that ends in `status` after exactly `durationMs`. */
    async function finishedRun(jobId: number, status: 'SUCCESS' | 'FAILED', durationMs: number) {
      const run = await admin.run(jobId, { status: 'RUNNING' });
      const startedAt = new Date(Date.parse(run.startedAt!) - durationMs);
      await admin.patch(`/api/runs/${run.id}`, { startedAt: startedAt.toISOString() });
      const res = await admin.patch(`/api/runs/${run.id}`, {
        status,
        finishedAt: run.startedAt,
        ...(status === 'FAILED' ? { errorMessage: 'exit 1' } : {}),
      });
      expect(res.status, res.text).toBe(200);
      return run.id;
    }

    beforeAll(async () => {
      admin = client(getHarness().target);
      busy = (await admin.job('Busy job', { type })).id;
      quiet = (await admin.job('Quiet job', { type })).id;
      idle = (await admin.job('Idle job', { type })).id;
      // 32 runs of the busy job: durations 1..32 seconds, every fourth one failed, then a
      // pending one (no duration). Only the newest 30 show in its strip.
      for (let i = 1; i <= 32; i++)
        busyRuns.push(await finishedRun(busy, i % 4 === 0 ? 'FAILED' : 'SUCCESS', i * 1000));
      busyRuns.push((await admin.run(busy)).id);
      await finishedRun(quiet, 'SUCCESS', 500);
    });

    const summaries = async (query = '') => {
      const res = await admin.get(`/api/jobs/summaries?type=${type}${query}`);
      expect(res.status, res.text).toBe(200);
      return res.body as { from: string; to: string; data: Summary[]; nextCursor: string | null };
    };

    it('returns each job of the page with its 30 newest runs, newest first', async () => {
      const page = await summaries();
      expect(page.data.map((s) => s.job.id)).toEqual([idle, quiet, busy]);
      const strip = page.data[2]!.recentRuns;
      expect(strip.map((r) => r.id)).toEqual([...busyRuns].reverse().slice(0, 30));
      expect(strip[0]).toEqual({
        id: busyRuns.at(-1),
        status: 'PENDING',
        createdAt: expect.stringMatching(/Z$/),
        durationMs: null,
      });
      expect(strip[1]).toMatchObject({ status: 'FAILED', durationMs: 32_000 });
      expect(page.data[1]!.recentRuns).toEqual([expect.objectContaining({ durationMs: 500 })]);
      expect(page.data[0]!.recentRuns).toEqual([]);
    });

    it('gives the same stats as GET /jobs/{id}/stats over the window', async () => {
      const page = await summaries('&window=1d');
      const busyStats = (await admin.get(`/api/jobs/${busy}/stats?window=1d`)).body;
      const summary = page.data[2]!;
      expect(summary.stats).toEqual({
        total: busyStats.total,
        counts: busyStats.counts,
        successRate: busyStats.successRate,
        durationMs: busyStats.durationMs,
      });
      // 33 runs: 24 succeeded, 8 failed, 1 pending; 32 durations of 1..32 s.
      expect(summary.stats).toEqual({
        total: 33,
        counts: { PENDING: 1, RUNNING: 0, SUCCESS: 24, FAILED: 8, CANCELLED: 0 },
        successRate: 0.75,
        durationMs: { count: 32, p50: 16_000, p95: 31_000, max: 32_000 },
      });
      expect(page.data[0]!.stats).toEqual({
        total: 0,
        counts: { PENDING: 0, RUNNING: 0, SUCCESS: 0, FAILED: 0, CANCELLED: 0 },
        successRate: null,
        durationMs: { count: 0, p50: null, p95: null, max: null },
      });
      expect(Date.parse(page.to) - Date.parse(page.from)).toBe(86_400_000);
    });

    it('pages like GET /jobs: the same filters, sort and cursors', async () => {
      const first = await admin.get(`/api/jobs/summaries?type=${type}&sort=name&limit=2`);
      expect(first.body.data.map((s: Summary) => s.job.name)).toEqual(['Busy job', 'Idle job']);
      expect(first.headers.get('Link')).toMatch(/^<\/api\/jobs\/summaries\?.*cursor=/);
      const jobsPage = await admin.get(`/api/jobs?type=${type}&sort=name&limit=2`);
      expect(first.body.nextCursor).toBe(jobsPage.body.nextCursor);
      const second = await admin.get(
        `/api/jobs/summaries?type=${type}&sort=name&limit=2&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.data.map((s: Summary) => s.job.name)).toEqual(['Quiet job']);
      expect(second.body.nextCursor).toBeNull();
      expect((await summaries('&q=quiet')).data.map((s) => s.job.id)).toEqual([quiet]);
    });

    it('shows archived jobs only when asked', async () => {
      const job = await admin.job('Archived one', { type });
      await admin.patch(`/api/jobs/${job.id}`, { archived: true });
      expect((await summaries()).data.map((s) => s.job.id)).not.toContain(job.id);
      expect((await summaries('&archived=true')).data.map((s) => s.job.id)).toEqual([job.id]);
      expect((await summaries('&archived=all')).data).toHaveLength(4);
    });

    it('refuses bad input with 400, and needs a key', async () => {
      expectProblem(await admin.get('/api/jobs/summaries?window=7w'), 400, 'VALIDATION_FAILED');
      expectProblem(await admin.get('/api/jobs/summaries?window=400d'), 400, 'VALIDATION_FAILED');
      expectProblem(await admin.get('/api/jobs/summaries?limit=0'), 400, 'VALIDATION_FAILED');
      expectProblem(await admin.get('/api/jobs/summaries?nope=1'), 400, 'VALIDATION_FAILED');
      expectProblem(await admin.get('/api/jobs/summaries?cursor=abc'), 400, 'VALIDATION_FAILED');
      expectProblem(await admin.get('/api/jobs/summaries', { key: null }), 401);
    });

    it('a read key may read it; a project-scoped key sees only its project', async () => {
      const { api: reader } = await clientWithNewKey(admin, getHarness().target, { scope: 'read' });
      expect((await reader.get(`/api/jobs/summaries?type=${type}`)).status).toBe(200);
      const project = (
        await admin.post('/api/projects', { name: `sum-${Math.random().toString(36).slice(2)}` })
      ).body;
      const own = await admin.job('Scoped job', { type, projectId: project.id });
      await finishedRun(own.id, 'FAILED', 2000);
      const { api: scoped } = await clientWithNewKey(admin, getHarness().target, {
        scope: 'read',
        projectId: project.id,
      });
      const page = (await scoped.get(`/api/jobs/summaries?type=${type}`)).body;
      expect(page.data.map((s: Summary) => s.job.id)).toEqual([own.id]);
      expect(page.data[0].stats.counts.FAILED).toBe(1);
      const other = await scoped.get(`/api/jobs/summaries?type=${type}&projectId=1`);
      expect(other.body.data).toEqual([]);
    });
  });

  describe('GET /api/me', () => {
    it('names the calling key, its scope and project, never a secret', async () => {
      const admin = client(getHarness().target);
      const me = await admin.get('/api/me');
      expect(me.status, me.text).toBe(200);
      expect(me.body).toEqual({
        keyId: null,
        name: 'ADMIN_API_KEY',
        scope: 'admin',
        projectId: null,
        expiresAt: null,
      });
      const { api: reader, created } = await clientWithNewKey(admin, getHarness().target, {
        name: 'dashboard viewer',
        scope: 'read',
      });
      expect((await reader.get('/api/me')).body).toEqual({
        keyId: created.id,
        name: 'dashboard viewer',
        scope: 'read',
        projectId: null,
        expiresAt: null,
      });
      expectProblem(await admin.get('/api/me', { key: null }), 401);
      expectProblem(await admin.get('/api/me', { key: 'ct_unknown' }), 401);
    });
  });
});
