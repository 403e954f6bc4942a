import { beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../../../test/support/client.js';
import { expectProblem } from '../../../test/api/expect-problem.js';
import { describeOnEveryDriver, type ApiHarness } from '../../../test/api/every-driver.js';

/** A project's page and its changes (rename, retention), on every runtime. */
describeOnEveryDriver((getHarness) => {
  describe('projects', () => {
    let harness: ApiHarness;
    let api: Client;
    const unique = (name: string) => `${name} ${Math.random().toString(36).slice(2, 8)}`;

    beforeAll(() => {
      harness = getHarness();
      api = client(harness.target);
    });

    it('shows a project with its retention in effect and its runs now', async () => {
      const created = await api.post('/api/projects', { name: unique('Data') });
      expect(created.status, created.text).toBe(201);
      expect(created.body.retentionDays).toBeNull();
      const { id } = created.body;
      const empty = await api.get(`/api/projects/${id}`);
      expect(empty.status, empty.text).toBe(200);
      expect(empty.body).toMatchObject({
        id,
        retentionDays: null,
        // The server's RUN_RETENTION_DAYS: 0 by default, every run kept.
        effectiveRetentionDays: 0,
        runs: { count: 0, oldestAt: null },
      });
      expect(empty.body.pingKey).toEqual(expect.any(String));

      const job = await api.job(unique('etl'), { projectId: id });
      const first = await api.run(job.id, { status: 'RUNNING' });
      await api.run(job.id);
      const withRuns = (await api.get(`/api/projects/${id}`)).body;
      expect(withRuns.runs.count).toBe(2);
      expect(withRuns.runs.oldestAt).toBe((await api.get(`/api/runs/${first.id}`)).body.createdAt);
      // The list shows the project's own retention too.
      const listed = (await api.get('/api/projects')).body.data.find(
        (p: { id: number }) => p.id === id,
      );
      expect(listed).toMatchObject({ retentionDays: null });
    });

    it('sets, follows and clears a retention, and renames', async () => {
      const { id, name } = (await api.post('/api/projects', { name: unique('Ops') })).body;
      const ninety = await api.patch(`/api/projects/${id}`, { retentionDays: 90 });
      expect(ninety.status, ninety.text).toBe(200);
      expect(ninety.body).toMatchObject({ retentionDays: 90, effectiveRetentionDays: 90, name });
      const all = await api.patch(`/api/projects/${id}`, { retentionDays: 0 });
      expect(all.body).toMatchObject({ retentionDays: 0, effectiveRetentionDays: 0 });
      const server = await api.patch(`/api/projects/${id}`, { retentionDays: null });
      expect(server.body).toMatchObject({ retentionDays: null, effectiveRetentionDays: 0 });
      const newName = unique('Operations');
      const renamed = await api.patch(`/api/projects/${id}`, { name: `  ${newName} ` });
      expect(renamed.status, renamed.text).toBe(200);
      expect(renamed.body.name).toBe(newName);
      expect((await api.get(`/api/projects/${id}`)).body.name).toBe(newName);
      // Nothing to change is no change.
      expect((await api.patch(`/api/projects/${id}`, {})).body.name).toBe(newName);
    });

    it('answers 409 for a taken name, 404 for no such project, 400 for bad input', async () => {
      const taken = (await api.post('/api/projects', { name: unique('Taken') })).body;
      const { id } = (await api.post('/api/projects', { name: unique('Mine') })).body;
      expectProblem(
        await api.patch(`/api/projects/${id}`, { name: taken.name }),
        409,
        'PROJECT_NAME_TAKEN',
      );
      expectProblem(await api.get('/api/projects/999999'), 404, 'PROJECT_NOT_FOUND');
      expectProblem(
        await api.patch('/api/projects/999999', { retentionDays: 1 }),
        404,
        'PROJECT_NOT_FOUND',
      );
      expectProblem(await api.get('/api/projects/0'), 400, 'VALIDATION_FAILED');
      for (const body of [
        { retentionDays: -1 },
        { retentionDays: 1.5 },
        { retentionDays: '90' },
        { retentionDays: 36_501 },
        { name: '' },
        { name: 'a\nb' },
        { color: 'red' },
      ]) {
        const res = await api.patch(`/api/projects/${id}`, body);
        expectProblem(res, 400, 'VALIDATION_FAILED');
      }
      // Nothing of that was applied.
      expect((await api.get(`/api/projects/${id}`)).body.retentionDays).toBeNull();
    });

    it('lets a project-scoped key read its own project only, and only admin keys change one', async () => {
      const own = (await api.post('/api/projects', { name: unique('Own') })).body;
      const other = (await api.post('/api/projects', { name: unique('Other') })).body;
      const key = async (scope: 'read' | 'write', projectId?: number) =>
        (await api.post('/api/keys', { name: unique('k'), scope, projectId })).body.key as string;
      const bound = client(harness.target, await key('read', own.id));
      const ownView = await bound.get(`/api/projects/${own.id}`);
      expect(ownView.status, ownView.text).toBe(200);
      // The ping key is a write secret: admin keys only.
      expect(ownView.body.pingKey).toBeUndefined();
      expectProblem(await bound.get(`/api/projects/${other.id}`), 404, 'PROJECT_NOT_FOUND');
      const writer = client(harness.target, await key('write'));
      expectProblem(
        await writer.patch(`/api/projects/${own.id}`, { retentionDays: 1 }),
        403,
        'INSUFFICIENT_SCOPE',
      );
      expectProblem(await client(harness.target, null).get(`/api/projects/${own.id}`), 401);
    });

    it('deletes a project with its jobs, runs, keys, webhooks and channels, given its name', async () => {
      const name = unique('Doomed');
      const { id } = (await api.post('/api/projects', { name })).body;
      const kept = (await api.post('/api/projects', { name: unique('Kept') })).body;
      const jobs = [
        await api.job(unique('a'), { projectId: id }),
        await api.job(unique('b'), { projectId: id }),
      ];
      for (const job of jobs) for (let i = 0; i < 3; i++) await api.run(job.id);
      const keptJob = await api.job(unique('kept'), { projectId: kept.id });
      const keptRun = await api.run(keptJob.id);
      const bound = (
        await api.post('/api/keys', { name: unique('k'), scope: 'write', projectId: id })
      ).body;
      const hook = await api.post('/api/webhooks', {
        url: 'https://hooks.example.com/doomed',
        events: ['run.failed'],
        projectId: id,
      });
      expect(hook.status, hook.text).toBe(201);
      const channel = await api.post('/api/channels', {
        name: 'doomed on slack',
        type: 'slack',
        config: { webhookUrl: 'https://hooks.slack.com/services/T0/B0/doomed' },
        events: ['run.failed'],
        jobIds: [jobs[0]!.id],
        projectId: id,
      });
      expect(channel.status, channel.text).toBe(201);
      // The bound key works until the deletion.
      expect((await client(harness.target, bound.key).get('/api/jobs')).status).toBe(200);

      expectProblem(
        await api.delete(`/api/projects/${id}`, { json: { confirm: 'doomed' } }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await api.delete(`/api/projects/${id}`, { json: {} }),
        400,
        'VALIDATION_FAILED',
      );
      expect((await api.get(`/api/projects/${id}`)).status).toBe(200); // nothing happened

      const res = await api.delete(`/api/projects/${id}`, { json: { confirm: name } });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({
        deleted: { jobs: 2, runs: 6, keys: 1, webhooks: 1, channels: 1 },
      });
      expectProblem(await api.get(`/api/projects/${id}`), 404, 'PROJECT_NOT_FOUND');
      for (const job of jobs)
        expectProblem(await api.get(`/api/jobs/${job.id}`), 404, 'JOB_NOT_FOUND');
      expectProblem(
        await client(harness.target, bound.key).get('/api/jobs'),
        401,
        'UNAUTHENTICATED',
      );
      expect((await api.get('/api/keys')).body.data.map((k: { id: number }) => k.id)).not.toContain(
        bound.id,
      );
      expectProblem(await api.get(`/api/webhooks/${hook.body.id}`), 404, 'WEBHOOK_NOT_FOUND');
      expectProblem(await api.get(`/api/channels/${channel.body.id}`), 404, 'CHANNEL_NOT_FOUND');
      // The other project is untouched.
      expect((await api.get(`/api/runs/${keptRun.id}`)).status).toBe(200);
      expect((await api.get(`/api/projects/${kept.id}`)).body.runs.count).toBe(1);
      // Again: it is gone.
      expectProblem(
        await api.delete(`/api/projects/${id}`, { json: { confirm: name } }),
        404,
        'PROJECT_NOT_FOUND',
      );
    });

    it('refuses to delete project 1, and answers 403 to a key below admin', async () => {
      expectProblem(
        await api.delete('/api/projects/1', { json: { confirm: 'default' } }),
        409,
        'PROJECT_IS_DEFAULT',
      );
      const { id, name } = (await api.post('/api/projects', { name: unique('Safe') })).body;
      const writer = (await api.post('/api/keys', { name: unique('w'), scope: 'write' })).body.key;
      expectProblem(
        await client(harness.target, writer).delete(`/api/projects/${id}`, {
          json: { confirm: name },
        }),
        403,
        'INSUFFICIENT_SCOPE',
      );
      expect((await api.get(`/api/projects/${id}`)).status).toBe(200);
    });
  });
});
