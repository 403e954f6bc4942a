import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';
import { client, clientWithNewKey, type Client } from '../../../test/support/client.js';
import { expectProblem } from '../../../test/api/expect-problem.js';

/** POST /api/runs/{runId}/heartbeat, on every runtime. */
describeOnEveryDriver((getHarness) => {
  describe('heartbeats', () => {
    let api: Client;
    let jobId: number;
    beforeAll(async () => {
      api = client(getHarness().target);
      jobId = (await api.job('Heartbeats suite')).id;
    });

    const beat = (runId: number | string, who: Client = api) =>
      who.call('POST', `/api/runs/${runId}/heartbeat`);

    it('records lastHeartbeatAt on a RUNNING or PENDING run, answering 204 with no body', async () => {
      for (const status of ['RUNNING', 'PENDING']) {
        const run = await api.run(jobId, { status });
        const before = Date.now();
        const res = await beat(run.id);
        expect(res.status, res.text).toBe(204);
        expect(res.text).toBe('');
        const stored = (await api.get(`/api/runs/${run.id}`)).body;
        expect(stored.status).toBe(status);
        expect(Date.parse(stored.lastHeartbeatAt)).toBeGreaterThanOrEqual(before - 1000);
      }
    });

    it('writes at most one heartbeat per run per 5 s: a second one at once is a 204 that changes nothing', async () => {
      const run = await api.run(jobId, { status: 'RUNNING' });
      expect((await beat(run.id)).status).toBe(204);
      const first = (await api.get(`/api/runs/${run.id}`)).body.lastHeartbeatAt;
      expect(first).not.toBeNull();
      for (let i = 0; i < 3; i++) expect((await beat(run.id)).status).toBe(204);
      expect((await api.get(`/api/runs/${run.id}`)).body.lastHeartbeatAt).toBe(first);
    });

    it('ignores a body, whatever it is', async () => {
      const run = await api.run(jobId, { status: 'RUNNING' });
      const res = await api.post(`/api/runs/${run.id}/heartbeat`, { progress: 0.5 });
      expect(res.status, res.text).toBe(204);
    });

    it('answers 409 RUN_FINISHED once the run has finished, so a wrapper learns it should stop', async () => {
      const run = await api.run(jobId, { status: 'RUNNING' });
      await api.patch(`/api/runs/${run.id}`, { status: 'FAILED', errorMessage: 'heartbeat lost' });
      const res = await beat(run.id);
      expectProblem(res, 409, 'RUN_FINISHED');
      expect(res.body.detail).toMatch(/FAILED \(heartbeat lost\)/);
      const cancelled = await api.run(jobId);
      await api.patch(`/api/runs/${cancelled.id}`, { status: 'CANCELLED' });
      expectProblem(await beat(cancelled.id), 409, 'RUN_FINISHED');
      expect((await api.get(`/api/runs/${cancelled.id}`)).body.lastHeartbeatAt).toBeNull();
    });

    it('answers 404 for a run that does not exist and 400 for an id that is not one', async () => {
      expectProblem(await beat(999_999_999), 404, 'RUN_NOT_FOUND');
      expectProblem(await beat('abc'), 400, 'VALIDATION_FAILED');
    });

    it("needs a write key, and a project's key sees only its own project's runs (404)", async () => {
      const { api: reader } = await clientWithNewKey(api, getHarness().target, { scope: 'read' });
      const run = await api.run(jobId, { status: 'RUNNING' });
      expectProblem(await beat(run.id, reader), 403, 'INSUFFICIENT_SCOPE');

      const suffix = crypto.randomUUID().slice(0, 8);
      const other = (await api.post('/api/projects', { name: `beats-${suffix}` })).body;
      const { api: outsider } = await clientWithNewKey(api, getHarness().target, {
        scope: 'write',
        projectId: other.id,
      });
      expectProblem(await beat(run.id, outsider), 404, 'RUN_NOT_FOUND');
      expect((await api.get(`/api/runs/${run.id}`)).body.lastHeartbeatAt).toBeNull();
      // Its own run, in its own project, it may keep alive.
      const own = await outsider.run((await outsider.job('Outsider job')).id, {
        status: 'RUNNING',
      });
      expect((await beat(own.id, outsider)).status).toBe(204);
    });
  });
});
