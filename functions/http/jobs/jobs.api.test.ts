import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';
import { client, type ApiResponse, type Client } from '../../../test/support/client.js';
import { expectProblem } from '../../../test/api/expect-problem.js';

describeOnEveryDriver((getHarness) => {
  describe('jobs', () => {
    let api: Client;
    beforeAll(() => {
      api = client(getHarness().target);
    });

    it('GET /health answers ok', async () => {
      const res = await api.get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('POST /jobs creates a job with a Location, and GET returns it', async () => {
      const res = await api.post('/api/jobs', {
        name: '  Daily ETL  ',
        description: 'orders',
        type: 'etl',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        projectId: 1,
        key: expect.stringMatching(/^daily-etl(-\d+)?$/),
        name: 'Daily ETL',
        description: 'orders',
        type: 'etl',
        archived: false,
        heartbeatTimeoutSeconds: null,
        maxDurationSeconds: null,
        pendingTimeoutSeconds: null,
        pingUuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        pingUrl: `/ping/${res.body.pingUuid}`,
        schedule: null,
        timezone: null,
        graceSeconds: null,
        health: 'new',
        nextExpectedAt: null,
        lastRunAt: null,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: res.body.createdAt,
      });
      expect(res.headers.get('Location')).toBe(`/api/jobs/${res.body.id}`);
      const fetched = await api.get(res.headers.get('Location')!);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(res.body);
    });

    it('POST /jobs defaults description and type to null', async () => {
      const res = await api.post('/api/jobs', { name: 'Nightly backup' });
      expect(res.body).toMatchObject({ description: null, type: null, archived: false });
    });

    it('PATCH /jobs/:id changes only the given fields', async () => {
      const job = await api.job('Before', { type: 'etl', description: 'keep' });
      const res = await api.patch(`/api/jobs/${job.id}`, { name: 'After', type: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: job.id,
        name: 'After',
        type: null,
        description: 'keep',
        archived: false,
      });
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(job.updatedAt));
      expect((await api.get(`/api/jobs/${job.id}`)).body).toEqual(res.body);
    });

    it('PATCH /jobs/:id with {} changes nothing, not even updatedAt', async () => {
      const job = await api.job('Untouched');
      const res = await api.patch(`/api/jobs/${job.id}`, {});
      expect(res.status).toBe(200);
      expect(res.body).toEqual(job);
    });

    it('GET /jobs pages newest first with an opaque cursor, without repeats or gaps', async () => {
      const created: number[] = [];
      for (let i = 0; i < 5; i++) created.push((await api.job(`paging ${i}`)).id);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res: ApiResponse = await api.get(
          `/api/jobs?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.data.map((job: { id: number }) => job.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...seen].sort((a, b) => b - a));
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, 5)).toEqual([...created].reverse());
    });

    it('GET /jobs uses 50 as the default page size', async () => {
      const res = await api.get('/api/jobs');
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(50);
      expect(res.body).toHaveProperty('nextCursor');
    });

    it('archived jobs are hidden unless asked for, and take no new runs', async () => {
      const job = await api.job('To archive');
      const archived = await api.patch(`/api/jobs/${job.id}`, { archived: true });
      expect(archived.body.archived).toBe(true);
      const ids = async (query: string) =>
        (await api.get(`/api/jobs?limit=200${query}`)).body.data.map((j: { id: number }) => j.id);
      expect(await ids('')).not.toContain(job.id);
      expect(await ids('&archived=false')).not.toContain(job.id);
      expect(await ids('&archived=true')).toContain(job.id);
      expect(await ids('&archived=all')).toContain(job.id);
      for (const id of await ids('&archived=true')) {
        expect((await api.get(`/api/jobs/${id}`)).body.archived).toBe(true);
      }
      expectProblem(await api.post(`/api/jobs/${job.id}/runs`), 409, 'JOB_ARCHIVED');
      const restored = await api.patch(`/api/jobs/${job.id}`, { archived: false });
      expect(restored.body.archived).toBe(false);
      expect((await api.post(`/api/jobs/${job.id}/runs`)).status).toBe(201);
    });

    it('GET and PATCH of a missing job are 404', async () => {
      expectProblem(await api.get('/api/jobs/987654321'), 404, 'JOB_NOT_FOUND');
      expectProblem(await api.patch('/api/jobs/987654321', { name: 'x' }), 404, 'JOB_NOT_FOUND');
      expectProblem(await api.get('/api/jobs/987654321/runs'), 404, 'JOB_NOT_FOUND');
      expectProblem(await api.post('/api/jobs/987654321/runs'), 404, 'JOB_NOT_FOUND');
    });
  });
});
