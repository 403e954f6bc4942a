import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';
import { expectProblem } from '../../../test/api/expect-problem.js';
import { client, clientWithNewKey, type Client } from '../../../test/support/client.js';

/**
 * /api/channels on every runtime (better-sqlite3, libSQL, D1 in workerd): CRUD statuses, scopes,
 * project isolation, the per-type config checks, masked secrets, and the outbox triggers fanning
 * a run out to a channel. Each type's message against a receiver on loopback: Node
 * (functions/http/channels/channels.better-sqlite3.test.ts) and workerd
 * (functions/runtime/channels-dispatch.d1.workers.test.ts).
 */
describeOnEveryDriver((getHarness) => {
  describe('channels', () => {
    let admin: Client;
    const created: number[] = [];
    const SLACK = 'https://hooks.slack.com/services/T0000/B0000/abcdefghijklmnopWXYZ';
    const slack = (extra: Record<string, unknown> = {}) => ({
      name: 'Ops on Slack',
      type: 'slack',
      config: { webhookUrl: SLACK },
      events: ['run.failed', 'job.down', 'job.up'],
      ...extra,
    });

    beforeAll(() => {
      admin = client(getHarness().target);
    });
    afterAll(async () => {
      // Gone, so the other suites' runs queue nothing.
      for (const id of created) await admin.delete(`/api/channels/${id}`);
    });

    async function create(body: Record<string, unknown>, who: Client = admin) {
      const res = await who.post('/api/channels', body);
      expect(res.status, res.text).toBe(201);
      created.push(res.body.id);
      return res;
    }

    it('creates (201, secrets masked), lists, reads, changes and deletes a channel', async () => {
      const res = await create(slack({ events: ['run.failed', 'job.down', 'run.failed'] }));
      const id = res.body.id;
      expect(res.headers.get('Location')).toBe(`/api/channels/${id}`);
      expect(res.body).toMatchObject({
        name: 'Ops on Slack',
        type: 'slack',
        config: { webhookUrl: 'https://hooks.slack.com/…WXYZ' },
        events: ['run.failed', 'job.down'],
        projectId: null,
        jobIds: null,
        enabled: true,
        disabledReason: null,
      });
      expect(res.text).not.toContain('abcdefghijklmnop');

      const list = await admin.get('/api/channels');
      expect(list.status).toBe(200);
      expect(list.body.data.map((c: { id: number }) => c.id)).toContain(id);
      expect(list.text).not.toContain('abcdefghijklmnop');
      // A channel is no webhook, and a webhook no channel.
      expect(
        (await admin.get('/api/webhooks')).body.data.map((w: { id: number }) => w.id),
      ).not.toContain(id);
      expectProblem(await admin.get(`/api/webhooks/${id}`), 404, 'WEBHOOK_NOT_FOUND');

      const one = await admin.get(`/api/channels/${id}`);
      expect(one.status).toBe(200);
      expect(one.body.config).toEqual({ webhookUrl: 'https://hooks.slack.com/…WXYZ' });

      const changed = await admin.patch(`/api/channels/${id}`, {
        name: 'Ops',
        config: { webhookUrl: 'https://hooks.slack.com/services/T1/B1/newsecret0001' },
        enabled: false,
      });
      expect(changed.status, changed.text).toBe(200);
      expect(changed.body).toMatchObject({
        name: 'Ops',
        config: { webhookUrl: 'https://hooks.slack.com/…0001' },
        enabled: false,
      });

      expect((await admin.delete(`/api/channels/${id}`)).status).toBe(204);
      expectProblem(await admin.get(`/api/channels/${id}`), 404, 'CHANNEL_NOT_FOUND');
      expectProblem(await admin.delete(`/api/channels/${id}`), 404, 'CHANNEL_NOT_FOUND');
      expectProblem(await admin.patch(`/api/channels/${id}`, { enabled: true }), 404);
      expectProblem(await admin.get(`/api/channels/${id}/deliveries`), 404);
      expectProblem(await admin.post(`/api/channels/${id}/test`), 404);
    });

    it("masks every type's secrets: ntfy token, PagerDuty routing key", async () => {
      const ntfy = await create({
        name: 'phone',
        type: 'ntfy',
        config: { url: 'https://ntfy.sh/ops-topic', token: 'tk_secretsecret9876' },
        events: ['job.down'],
      });
      expect(ntfy.body.config).toEqual({ url: 'https://ntfy.sh/ops-topic', token: '…9876' });
      const pd = await create({
        name: 'pager',
        type: 'pagerduty',
        config: { routingKey: 'R0123456789abcdef0123456789abcd' },
        events: ['run.failed', 'job.down', 'job.up'],
      });
      expect(pd.body.config).toEqual({ routingKey: '…abcd' });
      for (const id of [ntfy.body.id, pd.body.id]) {
        const text = (await admin.get(`/api/channels/${id}`)).text;
        expect(text).not.toContain('tk_secretsecret');
        expect(text).not.toContain('R0123456789abcdef');
      }
    });

    it("answers 400 for an unknown type, another type's fields, non-https and private URLs, events", async () => {
      const bad: Array<[Record<string, unknown>, string]> = [
        [slack({ type: 'carrier-pigeon' }), 'type'],
        [slack({ config: { routingKey: 'abc' } }), 'config.routingKey'],
        [slack({ config: { webhookUrl: SLACK, token: 'x' } }), 'config.token'],
        [slack({ config: {} }), 'config.webhookUrl'],
        [
          slack({ config: { webhookUrl: 'http://hooks.slack.com/services/x' } }),
          'config.webhookUrl',
        ],
        [slack({ config: { webhookUrl: 'https://127.0.0.1/hook' } }), 'config.webhookUrl'],
        [slack({ config: { webhookUrl: 'https://192.168.1.10/hook' } }), 'config.webhookUrl'],
        [slack({ config: { webhookUrl: 'not a url' } }), 'config.webhookUrl'],
        [{ ...slack(), type: 'ntfy', config: { webhookUrl: SLACK } }, 'config.webhookUrl'],
        [
          { ...slack(), type: 'pagerduty', config: { routingKey: 'k' }, events: ['run.succeeded'] },
          'events',
        ],
        [slack({ events: [] }), 'events'],
        [slack({ events: ['run.exploded'] }), 'events.0'],
        [slack({ jobIds: [] }), 'jobIds'],
        [slack({ secret: 'mine' }), ''],
      ];
      for (const [body, path] of bad) {
        const res = await admin.post('/api/channels', body);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        if (path) expect(res.body.errors[0].path, JSON.stringify(body)).toBe(path);
      }
      expectProblem(await admin.get('/api/channels/abc'), 400, 'VALIDATION_FAILED');
      expectProblem(
        await admin.post('/api/channels', slack({ jobIds: [999_999_999] })),
        404,
        'JOB_NOT_FOUND',
      );
      expectProblem(
        await admin.post('/api/channels', slack({ projectId: 999_999_999 })),
        404,
        'PROJECT_NOT_FOUND',
      );
      // The body checks every route shares: 415 for what is not JSON, 413 past 64 KiB.
      const notJson = { body: 'name=x', headers: { 'Content-Type': 'text/plain' } };
      expectProblem(await admin.call('POST', '/api/channels', notJson), 415);
      expectProblem(await admin.post('/api/channels', slack({ name: 'x'.repeat(70 * 1024) })), 413);
      const { id } = (await create(slack())).body;
      const other = await admin.patch(`/api/channels/${id}`, {
        config: { url: 'https://ntfy.sh/x' },
      });
      expectProblem(other, 400, 'VALIDATION_FAILED');
      expect(other.body.errors[0].path).toBe('config.url');
      expectProblem(await admin.patch(`/api/channels/${id}`, { events: [] }), 400);
      expectProblem(await admin.call('PATCH', `/api/channels/${id}`, notJson), 415);
      expectProblem(await admin.patch(`/api/channels/${id}`, { name: 'x'.repeat(70 * 1024) }), 413);
    });

    it('email: 400 for a bad or missing address, 422 naming SMTP_URL and SMTP_FROM without a mail transport', async () => {
      const email = (to: unknown) => ({
        name: 'Ops by email',
        type: 'email',
        config: { to },
        events: ['run.failed'],
      });
      for (const [to, path] of [
        [['ops@example.com', 'not an address'], 'config.to.1'],
        [['ops@example.com\r\nBcc: x@example.com'], 'config.to.0'],
        [[], 'config.to'],
        ['ops@example.com', 'config.to'],
      ] as const) {
        const res = await admin.post('/api/channels', email(to));
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors[0].path, JSON.stringify(to)).toBe(path);
      }
      const other = await admin.post('/api/channels', {
        ...email(['ops@example.com']),
        config: { to: ['ops@example.com'], webhookUrl: SLACK },
      });
      expectProblem(other, 400, 'VALIDATION_FAILED');
      expect(other.body.errors[0].path).toBe('config.webhookUrl');
      // The test servers have no SMTP_URL, on Node as on workerd.
      const unconfigured = await admin.post('/api/channels', email(['ops@example.com']));
      expectProblem(unconfigured, 422, 'MAIL_NOT_CONFIGURED');
      expect(unconfigured.body.detail).toMatch(/SMTP_URL and SMTP_FROM/);
    });

    it('needs admin to change and read to list: 403 for a write key, 401 without one', async () => {
      const { id } = (await create(slack())).body;
      const { api: reader } = await clientWithNewKey(admin, getHarness().target, { scope: 'read' });
      expect((await reader.get('/api/channels')).status).toBe(200);
      expect((await reader.get(`/api/channels/${id}`)).status).toBe(200);
      expect((await reader.get(`/api/channels/${id}/deliveries`)).status).toBe(200);
      const { api: writer } = await clientWithNewKey(admin, getHarness().target, {
        scope: 'write',
      });
      expectProblem(await writer.post('/api/channels', slack()), 403, 'INSUFFICIENT_SCOPE');
      expectProblem(await writer.patch(`/api/channels/${id}`, { enabled: false }), 403);
      expectProblem(await writer.delete(`/api/channels/${id}`), 403);
      expectProblem(await writer.post(`/api/channels/${id}/test`), 403);
      expectProblem(await client(getHarness().target, null).get('/api/channels'), 401);
    });

    it("shows a project-scoped key its project's channels only", async () => {
      // Admin keys cannot be bound to a project, so a project-scoped key only reads channels.
      const suffix = Math.random().toString(36).slice(2, 8);
      const alpha = (await admin.post('/api/projects', { name: `chan-alpha-${suffix}` })).body;
      const beta = (await admin.post('/api/projects', { name: `chan-beta-${suffix}` })).body;
      const { api: alphaKey } = await clientWithNewKey(admin, getHarness().target, {
        scope: 'read',
        projectId: alpha.id,
      });
      const alphaJob = await admin.job(`chan alpha job ${suffix}`, { projectId: alpha.id });
      const own = (await create(slack({ projectId: alpha.id, jobIds: [alphaJob.id] }))).body;
      expect(own).toMatchObject({ projectId: alpha.id, jobIds: [alphaJob.id] });
      const global = (await create(slack())).body;
      const betaChannel = (await create(slack({ projectId: beta.id }))).body;
      const seen = (await alphaKey.get('/api/channels')).body.data.map((c: { id: number }) => c.id);
      expect(seen).toContain(own.id);
      expect(seen).not.toContain(global.id);
      expect(seen).not.toContain(betaChannel.id);
      expect((await alphaKey.get(`/api/channels/${own.id}`)).status).toBe(200);
      for (const id of [global.id, betaChannel.id]) {
        expectProblem(await alphaKey.get(`/api/channels/${id}`), 404, 'CHANNEL_NOT_FOUND');
        expectProblem(await alphaKey.get(`/api/channels/${id}/deliveries`), 404);
      }
      const wrongProject = await admin.post(
        '/api/channels',
        slack({ projectId: beta.id, jobIds: [alphaJob.id] }),
      );
      expectProblem(wrongProject, 400, 'VALIDATION_FAILED');
      expect(wrongProject.body.errors[0].path).toBe('jobIds');
    });

    it('queues a delivery in the run write itself, for the jobs in jobIds only', async () => {
      const job = await admin.job('Channel job');
      const other = await admin.job('Not the channel job');
      const { id } = (await create(slack({ jobIds: [job.id] }))).body;
      const run = await admin.run(job.id, { status: 'RUNNING' });
      await admin.patch(`/api/runs/${run.id}`, { status: 'FAILED', errorMessage: 'boom' });
      const otherRun = await admin.run(other.id, { status: 'RUNNING' });
      await admin.patch(`/api/runs/${otherRun.id}`, { status: 'FAILED' });
      const res = await admin.get(`/api/channels/${id}/deliveries`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((d: { eventType: string }) => d.eventType)).toEqual(['run.failed']);
      // Pending (the Worker may have tried once already: the Workers tests' network answers 502).
      expect(res.body.data[0].status).toBe('pending');
    });
  });
});
