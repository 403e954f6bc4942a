import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';
import { client, clientWithNewKey, type Client } from '../../../test/support/client.js';
import { expectProblem } from '../../../test/api/expect-problem.js';

/**
 * Job keys and the by-key routes (issue 13), on every runtime: derived and suffixed keys, 400 and
 * 409 for bad and taken ones, PUT's create-then-update, runs by key creating their job, and
 * project scoping.
 */
describeOnEveryDriver((getHarness) => {
  describe('job keys and /jobs/by-key', () => {
    let api: Client;
    /** Makes names and keys of this run unique: the database is shared with the other suites. */
    let tag: string;
    const put = (c: Client, path: string, json?: unknown) => c.call('PUT', path, { json });

    beforeAll(() => {
      api = client(getHarness().target);
      tag = Math.random().toString(36).slice(2, 8);
    });

    it('POST /jobs derives the key from the name and suffixes -2, -3 when it is taken', async () => {
      const first = await api.post('/api/jobs', { name: `Nightly backup ${tag}` });
      expect(first.status).toBe(201);
      expect(first.body.key).toBe(`nightly-backup-${tag}`);
      const second = await api.job(`Nightly backup ${tag}`);
      const third = await api.job(`Nightly  BACKUP ${tag}!`);
      expect([second, third].map((job) => (job as { key?: string }).key)).toEqual([
        `nightly-backup-${tag}-2`,
        `nightly-backup-${tag}-3`,
      ]);
      expect(((await api.job(`Café crème ${tag}`)) as { key?: string }).key).toBe(
        `caf-cr-me-${tag}`,
      );
      expect(((await api.job('日本語')) as { key?: string }).key).toMatch(/^job(-\d+)?$/);
      const long = await api.job(`${'x'.repeat(80)} ${tag}`);
      expect((long as { key?: string }).key).toBe('x'.repeat(64));
    });

    it('an explicit key is kept, a taken one is 409 and an invalid one 400', async () => {
      const key = `etl_${tag}-orders`;
      const res = await api.post('/api/jobs', { name: 'Orders', key });
      expect(res.status).toBe(201);
      expect(res.body.key).toBe(key);
      expectProblem(await api.post('/api/jobs', { name: 'Again', key }), 409, 'JOB_KEY_TAKEN');
      for (const bad of ['', 'Upper', 'a b', 'a.b', 'é', 'x'.repeat(65), 7])
        expectProblem(
          await api.post('/api/jobs', { name: 'Bad', key: bad }),
          400,
          'VALIDATION_FAILED',
        );
    });

    it("accepts, returns and clears a job's limits; anything but a positive integer is 400", async () => {
      const res = await api.post('/api/jobs', {
        name: `Limited ${tag}`,
        heartbeatTimeoutSeconds: 120,
        maxDurationSeconds: 3600,
        pendingTimeoutSeconds: 600,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        heartbeatTimeoutSeconds: 120,
        maxDurationSeconds: 3600,
        pendingTimeoutSeconds: 600,
      });
      const cleared = await api.patch(`/api/jobs/${res.body.id}`, {
        heartbeatTimeoutSeconds: null,
        maxDurationSeconds: 60,
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({
        heartbeatTimeoutSeconds: null,
        maxDurationSeconds: 60,
        pendingTimeoutSeconds: 600,
      });
      for (const bad of [0, -1, 1.5, '60', 366 * 86_400 + 1])
        expectProblem(
          await api.patch(`/api/jobs/${res.body.id}`, { pendingTimeoutSeconds: bad }),
          400,
          'VALIDATION_FAILED',
        );
      expect((await api.get(`/api/jobs/${res.body.id}`)).body).toEqual(cleared.body);
    });

    it('PATCH /jobs/{id} changes the key; a taken key is 409 and changes nothing', async () => {
      const a = await api.post('/api/jobs', { name: 'A', key: `a-${tag}` });
      const b = await api.post('/api/jobs', { name: 'B', key: `b-${tag}` });
      expectProblem(
        await api.patch(`/api/jobs/${b.body.id}`, { key: `a-${tag}`, name: 'B2' }),
        409,
        'JOB_KEY_TAKEN',
      );
      expect((await api.get(`/api/jobs/${b.body.id}`)).body).toEqual(b.body);
      expectProblem(await api.patch(`/api/jobs/${b.body.id}`, { key: 'B!' }), 400);
      const renamed = await api.patch(`/api/jobs/${b.body.id}`, { key: `b2-${tag}` });
      expect(renamed.status).toBe(200);
      expect(renamed.body.key).toBe(`b2-${tag}`);
      // The old key is free again, and a job's own key is no conflict.
      expect((await api.patch(`/api/jobs/${a.body.id}`, { key: `a-${tag}` })).status).toBe(200);
      expect((await api.post('/api/jobs', { name: 'B', key: `b-${tag}` })).status).toBe(201);
    });

    it('GET and PATCH /jobs/by-key/{key}: 200, 404 for a missing key, 400 for an invalid one', async () => {
      const job = await api.post('/api/jobs', { name: 'By key', key: `by-key-${tag}` });
      const got = await api.get(`/api/jobs/by-key/by-key-${tag}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(job.body);
      expectProblem(await api.get(`/api/jobs/by-key/missing-${tag}`), 404, 'JOB_NOT_FOUND');
      expectProblem(await api.get('/api/jobs/by-key/Not%20A%20Key'), 400, 'VALIDATION_FAILED');
      expectProblem(await api.get(`/api/jobs/by-key/by-key-${tag}?extra=1`), 400);

      const patched = await api.patch(`/api/jobs/by-key/by-key-${tag}`, {
        description: 'found by key',
        key: `by-key-${tag}-renamed`,
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        id: job.body.id,
        description: 'found by key',
        key: `by-key-${tag}-renamed`,
      });
      expectProblem(await api.get(`/api/jobs/by-key/by-key-${tag}`), 404, 'JOB_NOT_FOUND');
      expectProblem(
        await api.patch(`/api/jobs/by-key/missing-${tag}`, { name: 'x' }),
        404,
        'JOB_NOT_FOUND',
      );
      const other = await api.post('/api/jobs', { name: 'Other', key: `other-${tag}` });
      expectProblem(
        await api.patch(`/api/jobs/by-key/other-${tag}`, { key: `by-key-${tag}-renamed` }),
        409,
        'JOB_KEY_TAKEN',
      );
      expect((await api.get(`/api/jobs/${other.body.id}`)).body).toEqual(other.body);
      expectProblem(await api.patch(`/api/jobs/by-key/other-${tag}`, { name: '' }), 400);
    });

    it('PUT /jobs/by-key/{key} creates (201, named after the key) and then updates (200)', async () => {
      const key = `put-${tag}`;
      const created = await put(api, `/api/jobs/by-key/${key}`, { type: 'backup' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ key, name: key, type: 'backup', projectId: 1 });
      expect(created.headers.get('Location')).toBe(`/api/jobs/${created.body.id}`);
      const updated = await put(api, `/api/jobs/by-key/${key}`, {
        name: 'Put job',
        heartbeatTimeoutSeconds: 30,
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        id: created.body.id,
        key,
        name: 'Put job',
        type: 'backup',
        heartbeatTimeoutSeconds: 30,
      });
      // No body at all is an update of nothing.
      const again = await api.call('PUT', `/api/jobs/by-key/${key}`);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(updated.body);
      const named = await put(api, `/api/jobs/by-key/${key}-named`, { name: 'Given name' });
      expect(named.status).toBe(201);
      expect(named.body).toMatchObject({ key: `${key}-named`, name: 'Given name' });
      // The path names the key and the query the project: neither belongs in the body.
      expectProblem(await put(api, `/api/jobs/by-key/${key}`, { key: 'other' }), 400);
      expectProblem(await put(api, `/api/jobs/by-key/${key}`, { projectId: 1 }), 400);
      expectProblem(await put(api, '/api/jobs/by-key/NO', {}), 400, 'VALIDATION_FAILED');
      expectProblem(
        await put(api, `/api/jobs/by-key/${key}?projectId=987654321`, {}),
        404,
        'PROJECT_NOT_FOUND',
      );
    });

    it('never confuses by-key paths with job ids: a job may be keyed `runs`', async () => {
      const project = await api.post('/api/projects', { name: `keyed-runs-${tag}` });
      const path = `/api/jobs/by-key/runs?projectId=${project.body.id}`;
      const created = await put(api, path, {});
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ key: 'runs', projectId: project.body.id });
      expect((await api.get(path)).body).toEqual(created.body);
      const runs = await api.get(`/api/jobs/by-key/runs/runs?projectId=${project.body.id}`);
      expect(runs.status).toBe(200);
      expect(runs.body).toEqual({ data: [], nextCursor: null });
    });

    it('POST /jobs/by-key/{key}/runs creates the job on first use, then adds runs to it', async () => {
      const key = `crontab-${tag}`;
      const first = await api.post(`/api/jobs/by-key/${key}/runs`, {
        status: 'RUNNING',
        metadata: { host: 'cron-1' },
      });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ status: 'RUNNING', metadata: { host: 'cron-1' } });
      expect(first.headers.get('Location')).toBe(`/api/runs/${first.body.id}`);
      const job = await api.get(`/api/jobs/by-key/${key}`);
      expect(job.body).toMatchObject({ id: first.body.jobId, key, name: key, projectId: 1 });
      const second = await api.call('POST', `/api/jobs/by-key/${key}/runs`);
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({ jobId: first.body.jobId, status: 'PENDING' });

      const page = await api.get(`/api/jobs/by-key/${key}/runs?limit=1`);
      expect(page.status).toBe(200);
      expect(page.body.data.map((run: { id: number }) => run.id)).toEqual([second.body.id]);
      expect(page.body.nextCursor).toEqual(expect.any(String));
      const rest = await api.get(
        `/api/jobs/by-key/${key}/runs?cursor=${encodeURIComponent(page.body.nextCursor)}`,
      );
      expect(rest.body.data.map((run: { id: number }) => run.id)).toEqual([first.body.id]);
      const running = await api.get(`/api/jobs/by-key/${key}/runs?status=RUNNING`);
      expect(running.body.data.map((run: { id: number }) => run.id)).toEqual([first.body.id]);

      expectProblem(await api.get(`/api/jobs/by-key/missing-${tag}/runs`), 404, 'JOB_NOT_FOUND');
      expectProblem(await api.post(`/api/jobs/by-key/${key}/runs`, { status: 'SUCCESS' }), 400);
      expectProblem(await api.post('/api/jobs/by-key/Bad!/runs', {}), 400, 'VALIDATION_FAILED');
      await api.patch(`/api/jobs/by-key/${key}`, { archived: true });
      expectProblem(await api.post(`/api/jobs/by-key/${key}/runs`, {}), 409, 'JOB_ARCHIVED');
    });

    it('a read key may list runs by key but not create them (403), and creates no job', async () => {
      const { api: reader } = await clientWithNewKey(api, getHarness().target, { scope: 'read' });
      const key = `read-only-${tag}`;
      expectProblem(
        await reader.post(`/api/jobs/by-key/${key}/runs`, {}),
        403,
        'INSUFFICIENT_SCOPE',
      );
      expectProblem(await put(reader, `/api/jobs/by-key/${key}`, {}), 403, 'INSUFFICIENT_SCOPE');
      expectProblem(await reader.patch(`/api/jobs/by-key/${key}`, {}), 403);
      expectProblem(await api.get(`/api/jobs/by-key/${key}`), 404, 'JOB_NOT_FOUND');
      await api.post(`/api/jobs/by-key/${key}/runs`, {});
      expect((await reader.get(`/api/jobs/by-key/${key}`)).status).toBe(200);
      expect((await reader.get(`/api/jobs/by-key/${key}/runs`)).body.data).toHaveLength(1);
    });

    describe('project scoping', () => {
      let alpha: { id: number };
      let beta: { id: number };
      let alphaWriter: Client;
      let betaWriter: Client;
      beforeAll(async () => {
        alpha = (await api.post('/api/projects', { name: `keys-alpha-${tag}` })).body;
        beta = (await api.post('/api/projects', { name: `keys-beta-${tag}` })).body;
        alphaWriter = (
          await clientWithNewKey(api, getHarness().target, { scope: 'write', projectId: alpha.id })
        ).api;
        betaWriter = (
          await clientWithNewKey(api, getHarness().target, { scope: 'write', projectId: beta.id })
        ).api;
      });

      it("a project-scoped key acts only in its own project: another's key is a 404", async () => {
        const key = `scoped-${tag}`;
        const created = await put(alphaWriter, `/api/jobs/by-key/${key}`, {});
        expect(created.status).toBe(201);
        expect(created.body.projectId).toBe(alpha.id);
        const run = await alphaWriter.post(`/api/jobs/by-key/${key}/runs`, {});
        expect(run.body.jobId).toBe(created.body.id);

        // Beta sees no job with that key, and naming alpha does not help.
        expectProblem(await betaWriter.get(`/api/jobs/by-key/${key}`), 404, 'JOB_NOT_FOUND');
        expectProblem(await betaWriter.get(`/api/jobs/by-key/${key}/runs`), 404, 'JOB_NOT_FOUND');
        expectProblem(await betaWriter.patch(`/api/jobs/by-key/${key}`, { name: 'x' }), 404);
        expectProblem(
          await betaWriter.get(`/api/jobs/by-key/${key}?projectId=${alpha.id}`),
          404,
          'PROJECT_NOT_FOUND',
        );
        expectProblem(
          await betaWriter.post(`/api/jobs/by-key/${key}/runs?projectId=${alpha.id}`, {}),
          404,
          'PROJECT_NOT_FOUND',
        );
        // Its own project by number is fine.
        expect(
          (await alphaWriter.get(`/api/jobs/by-key/${key}?projectId=${alpha.id}`)).status,
        ).toBe(200);
        // Beta's first run under the same key is a job of its own, in beta.
        const betaRun = await betaWriter.post(`/api/jobs/by-key/${key}/runs`, {});
        expect(betaRun.status).toBe(201);
        expect(betaRun.body.jobId).not.toBe(created.body.id);
        expect((await betaWriter.get(`/api/jobs/by-key/${key}`)).body.projectId).toBe(beta.id);
        expect((await alphaWriter.get(`/api/jobs/by-key/${key}/runs`)).body.data).toHaveLength(1);

        // An unscoped key looks in `default` unless told otherwise.
        expectProblem(await api.get(`/api/jobs/by-key/${key}`), 404, 'JOB_NOT_FOUND');
        // The same job, which has run since it was created (its health and lastRunAt say so).
        expect((await api.get(`/api/jobs/by-key/${key}?projectId=${alpha.id}`)).body).toEqual({
          ...created.body,
          health: 'up',
          lastRunAt: expect.any(String),
        });
      });
    });

    describe('concurrent creates (the unique index decides, never a 500)', () => {
      it('jobs created at once under one name all get a key: the name, then -2, -3...', async () => {
        const name = `Burst ${tag}`;
        const answers = await Promise.all(
          Array.from({ length: 12 }, () => api.post('/api/jobs', { name })),
        );
        expect(answers.map((res) => res.status)).toEqual(Array(12).fill(201));
        const keys = answers.map((res) => res.body.key as string).sort();
        const base = `burst-${tag}`;
        expect(keys).toEqual(
          [base, ...Array.from({ length: 11 }, (_, i) => `${base}-${i + 2}`)].sort(),
        );
      });

      it('PUTs of one new key at once create one job (one 201) and update it', async () => {
        const key = `put-burst-${tag}`;
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            put(api, `/api/jobs/by-key/${key}`, { description: `${i}` }),
          ),
        );
        expect(answers.map((res) => res.status).sort()).toEqual([
          200, 200, 200, 200, 200, 200, 200, 201,
        ]);
        expect(new Set(answers.map((res) => res.body.id)).size).toBe(1);
      });

      it('first runs of one new key at once create one job and all land in it', async () => {
        const key = `run-burst-${tag}`;
        const answers = await Promise.all(
          Array.from({ length: 8 }, () => api.post(`/api/jobs/by-key/${key}/runs`, {})),
        );
        expect(answers.map((res) => res.status)).toEqual(Array(8).fill(201));
        const jobIds = new Set(answers.map((res) => res.body.jobId));
        expect(jobIds.size).toBe(1);
        const page = await api.get(`/api/jobs/by-key/${key}/runs`);
        expect(page.body.data).toHaveLength(8);
      });
    });

    describe('run exit codes and output', () => {
      let jobId: number;
      beforeAll(async () => {
        jobId = (await api.job(`Output ${tag}`)).id;
      });

      it('PATCH takes exitCode and output; the run shows its output, no list page does', async () => {
        const run = await api.run(jobId, { status: 'RUNNING' });
        const output = 'copying...\nrsync error: 23 ✗\n';
        const done = await api.patch(`/api/runs/${run.id}`, {
          status: 'FAILED',
          errorMessage: 'exit code 23',
          exitCode: 23,
          output,
        });
        expect(done.status).toBe(200);
        expect(done.body).toMatchObject({ status: 'FAILED', exitCode: 23, output });
        expect((await api.get(`/api/runs/${run.id}`)).body).toEqual(done.body);
        const { output: _output, ...listed } = done.body;
        const pages = [
          `/api/jobs/${jobId}/runs`,
          `/api/runs?jobId=${jobId}`,
          `/api/jobs/by-key/${(await api.get(`/api/jobs/${jobId}`)).body.key}/runs`,
        ];
        for (const path of pages) {
          const page = await api.get(path);
          expect(page.status, path).toBe(200);
          expect(page.body.data[0], path).toEqual(listed);
          for (const item of page.body.data) expect(item, path).not.toHaveProperty('output');
        }
        const stats = await api.get(`/api/jobs/${jobId}/stats`);
        expect(stats.body.lastRun).toEqual(listed);
        // Amendable later, like metadata; null clears.
        const amended = await api.patch(`/api/runs/${run.id}`, { output: null, exitCode: null });
        expect(amended.body).toMatchObject({ output: null, exitCode: null, status: 'FAILED' });
      });

      it('65,536 characters of output are kept; 65,537 are a 400 that changes nothing', async () => {
        const run = await api.run(jobId, { status: 'RUNNING' });
        const max = 'é'.repeat(65_536);
        const kept = await api.patch(`/api/runs/${run.id}`, { output: max, exitCode: 0 });
        expect(kept.status).toBe(200);
        expect((await api.get(`/api/runs/${run.id}`)).body.output).toBe(max);
        const before = (await api.get(`/api/runs/${run.id}`)).body;
        const refused = await api.patch(`/api/runs/${run.id}`, {
          status: 'SUCCESS',
          output: 'x'.repeat(65_537),
        });
        expectProblem(refused, 400, 'VALIDATION_FAILED');
        expect(refused.body.errors).toEqual([{ path: 'output', message: expect.any(String) }]);
        expect((await api.get(`/api/runs/${run.id}`)).body).toEqual(before);
        for (const exitCode of [1.5, '1', true])
          expectProblem(await api.patch(`/api/runs/${run.id}`, { exitCode }), 400);
      });
    });
  });
});
