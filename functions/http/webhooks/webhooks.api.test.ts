import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';
import { client, clientWithNewKey, type Client } from '../../../test/support/client.js';
import { expectProblem } from '../../../test/api/expect-problem.js';

/**
 * /api/webhooks on every runtime: CRUD statuses, scopes, project isolation, the SSRF guard's
 * defaults, and the outbox triggers (a run write queues a delivery). Deliveries to a receiver
 * are tested on Node (functions/http/webhooks/webhooks.better-sqlite3.test.ts, webhooks.e2e.test.ts).
 */
describeOnEveryDriver((getHarness) => {
  describe('webhooks', () => {
    let admin: Client;
    const created: number[] = [];
    const URL = 'https://hooks.example.com/chronotrack';

    beforeAll(() => {
      admin = client(getHarness().target);
    });
    afterAll(async () => {
      // Gone, so the other suites' runs queue nothing.
      for (const id of created) await admin.delete(`/api/webhooks/${id}`);
    });

    async function create(body: Record<string, unknown>, who: Client = admin) {
      const res = await who.post('/api/webhooks', body);
      expect(res.status, res.text).toBe(201);
      created.push(res.body.id);
      return res;
    }

    it('creates (201, the secret once), lists, reads, changes and deletes a webhook', async () => {
      const res = await create({ url: URL, events: ['run.failed', 'job.down', 'run.failed'] });
      expect(res.headers.get('Location')).toBe(`/api/webhooks/${res.body.id}`);
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      expect(res.body).toMatchObject({
        url: URL,
        events: ['run.failed', 'job.down'],
        projectId: null,
        jobId: null,
        enabled: true,
        disabledReason: null,
      });
      expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      const id = res.body.id;

      const list = await admin.get('/api/webhooks');
      expect(list.status).toBe(200);
      const listed = list.body.data.find((w: { id: number }) => w.id === id);
      expect(listed).toBeDefined();
      expect(listed.secret).toBeUndefined();

      const one = await admin.get(`/api/webhooks/${id}`);
      expect(one.status).toBe(200);
      expect(one.body.secret).toBeUndefined();

      const changed = await admin.patch(`/api/webhooks/${id}`, {
        events: ['run.succeeded'],
        description: 'chat',
        enabled: false,
      });
      expect(changed.status, changed.text).toBe(200);
      expect(changed.body).toMatchObject({
        events: ['run.succeeded'],
        description: 'chat',
        enabled: false,
      });

      expect((await admin.delete(`/api/webhooks/${id}`)).status).toBe(204);
      expectProblem(await admin.get(`/api/webhooks/${id}`), 404, 'WEBHOOK_NOT_FOUND');
      expectProblem(await admin.delete(`/api/webhooks/${id}`), 404, 'WEBHOOK_NOT_FOUND');
      expectProblem(await admin.patch(`/api/webhooks/${id}`, { enabled: true }), 404);
      expectProblem(await admin.get(`/api/webhooks/${id}/deliveries`), 404);
      expectProblem(await admin.post(`/api/webhooks/${id}/test`), 404);
    });

    it('answers 400 for bad input: scheme, loopback and private addresses by default, events, ids', async () => {
      const bad: Record<string, unknown>[] = [
        { url: 'ftp://example.com/x', events: ['run.failed'] },
        { url: 'not a url', events: ['run.failed'] },
        { url: 'http://127.0.0.1:8080/hook', events: ['run.failed'] },
        { url: 'http://localhost/hook', events: ['run.failed'] },
        { url: 'http://[::1]/hook', events: ['run.failed'] },
        { url: 'http://169.254.169.254/latest/meta-data', events: ['run.failed'] },
        { url: 'http://192.168.1.10/hook', events: ['run.failed'] },
        { url: URL, events: [] },
        { url: URL, events: ['run.exploded'] },
        { url: URL },
        { url: URL, events: ['run.failed'], secret: 'mine' },
      ];
      for (const body of bad) {
        const res = await admin.post('/api/webhooks', body);
        expectProblem(res, 400, 'VALIDATION_FAILED');
      }
      const loopback = await admin.post('/api/webhooks', {
        url: 'http://127.0.0.1/hook',
        events: ['run.failed'],
      });
      expect(loopback.body.errors[0].path).toBe('url');
      expect(loopback.body.detail).toMatch(/WEBHOOK_ALLOW_PRIVATE/);
      expectProblem(await admin.get('/api/webhooks/abc'), 400, 'VALIDATION_FAILED');
      expectProblem(
        await admin.post('/api/webhooks', { url: URL, events: ['run.failed'], jobId: 999_999_999 }),
        404,
        'JOB_NOT_FOUND',
      );
      const { id } = (await create({ url: URL, events: ['run.failed'] })).body;
      expectProblem(await admin.patch(`/api/webhooks/${id}`, { url: 'gopher://x' }), 400);
      expectProblem(await admin.patch(`/api/webhooks/${id}`, { events: [] }), 400);
    });

    it('needs the write scope: a read key gets 403, a write key manages webhooks', async () => {
      const { api: reader } = await clientWithNewKey(admin, getHarness().target, { scope: 'read' });
      expectProblem(await reader.get('/api/webhooks'), 403, 'INSUFFICIENT_SCOPE');
      expectProblem(await reader.post('/api/webhooks', { url: URL, events: ['run.failed'] }), 403);
      const { api: writer } = await clientWithNewKey(admin, getHarness().target, {
        scope: 'write',
      });
      const { id } = (await create({ url: URL, events: ['run.failed'] }, writer)).body;
      expect((await writer.get(`/api/webhooks/${id}`)).status).toBe(200);
      expectProblem(await client(getHarness().target, null).get('/api/webhooks'), 401);
    });

    it("binds a project-scoped key's webhooks to its project and hides the others", async () => {
      const suffix = Math.random().toString(36).slice(2, 8);
      const alpha = (await admin.post('/api/projects', { name: `hooks-alpha-${suffix}` })).body;
      const beta = (await admin.post('/api/projects', { name: `hooks-beta-${suffix}` })).body;
      const { api: alphaKey } = await clientWithNewKey(admin, getHarness().target, {
        scope: 'write',
        projectId: alpha.id,
      });
      const own = (await create({ url: URL, events: ['run.failed'] }, alphaKey)).body;
      expect(own.projectId).toBe(alpha.id);
      const global = (await create({ url: URL, events: ['run.failed'] })).body;
      const betaHook = (await create({ url: URL, events: ['run.failed'], projectId: beta.id }))
        .body;
      const seen = (await alphaKey.get('/api/webhooks')).body.data.map((w: { id: number }) => w.id);
      expect(seen).toContain(own.id);
      expect(seen).not.toContain(global.id);
      expect(seen).not.toContain(betaHook.id);
      for (const id of [global.id, betaHook.id]) {
        expectProblem(await alphaKey.get(`/api/webhooks/${id}`), 404, 'WEBHOOK_NOT_FOUND');
        expectProblem(await alphaKey.delete(`/api/webhooks/${id}`), 404);
      }
      expectProblem(
        await alphaKey.post('/api/webhooks', {
          url: URL,
          events: ['run.failed'],
          projectId: beta.id,
        }),
        404,
        'PROJECT_NOT_FOUND',
      );
      // A job of another project is one this key cannot see.
      const betaJob = await admin.job(`hooks beta job ${suffix}`, { projectId: beta.id });
      expectProblem(
        await alphaKey.post('/api/webhooks', {
          url: URL,
          events: ['run.failed'],
          jobId: betaJob.id,
        }),
        404,
        'JOB_NOT_FOUND',
      );
    });

    it('queues a delivery in the same write as the run change (the outbox triggers), shown in the log', async () => {
      const job = await admin.job('Hooked job');
      const { id } = (
        await create({ url: URL, events: ['run.created', 'run.failed'], jobId: job.id })
      ).body;
      const run = await admin.run(job.id, { status: 'RUNNING' });
      await admin.patch(`/api/runs/${run.id}`, { status: 'FAILED', errorMessage: 'boom' });
      const other = await admin.job('Unhooked job');
      await admin.run(other.id);
      const res = await admin.get(`/api/webhooks/${id}/deliveries`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((d: { eventType: string }) => d.eventType)).toEqual([
        'run.failed',
        'run.created',
      ]);
      for (const delivery of res.body.data) {
        // Still pending: the Worker dispatches right after the write (waitUntil) and may have
        // tried once already, answered 502 by the Workers tests' offline network
        // (vitest.config.mts); the Node apps here have no pass after writes (the tests that
        // deliver use a real receiver).
        expect(delivery.status).toBe('pending');
        expect(delivery.attempts).toBeLessThanOrEqual(1);
        expect(delivery.log).toHaveLength(delivery.attempts);
        for (const attempt of delivery.log)
          expect(attempt).toMatchObject({ responseStatus: 502, error: 'HTTP 502' });
        expect(delivery.eventId).toMatch(/^msg_[0-9a-f]{32}$/);
      }
      expect(res.body.data[0].eventId).not.toBe(res.body.data[1].eventId);
    });

    it('POST /test on a disabled webhook queues the test event without sending it (200)', async () => {
      const { id } = (await create({ url: URL, events: ['run.failed'] })).body;
      await admin.patch(`/api/webhooks/${id}`, { enabled: false });
      const res = await admin.post(`/api/webhooks/${id}/test`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ eventType: 'webhook.test', status: 'pending', attempts: 0 });
    });
  });
});
