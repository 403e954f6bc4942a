import { beforeAll, describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from '../../../shared/rate-limit.js';
import {
  call,
  client,
  clientWithNewKey,
  type ApiTarget,
  type Client,
} from '../../../test/support/client.js';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';

const RID_A = '0f1e2d3c-4b5a-4697-8877-665544332211';
const RID_B = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

/**
 * Healthchecks-compatible pings on every runtime: the sequences cron lines (curl), runitor and
 * Healthchecks' client libraries send, and the runs they must leave, read back through the API.
 */
describeOnEveryDriver((getHarness) => {
  describe('Healthchecks-compatible pings', () => {
    let api: Client;
    let target: ApiTarget;
    beforeAll(() => {
      target = getHarness().target;
      api = client(target);
    });

    /** A ping with no API key, as cron sends it. */
    const ping = (path: string, init: { method?: string; body?: string } = {}) =>
      call(target, init.method ?? 'GET', path, { key: null, body: init.body });

    const newJob = async (name: string) => {
      const job = (await api.job(name)) as unknown as {
        id: number;
        pingUrl: string;
        pingUuid: string;
      };
      return job;
    };
    const runsOf = async (jobId: number) =>
      (await api.get(`/api/jobs/${jobId}/runs?sort=createdAt`)).body.data as Array<{
        id: number;
        status: string;
        exitCode: number | null;
        errorMessage: string | null;
        metadata: Record<string, unknown> | null;
        startedAt: string | null;
        finishedAt: string | null;
      }>;
    const outputOf = async (runId: number) =>
      (await api.get(`/api/runs/${runId}`)).body.output as string | null;

    it('gives every new job a ping UUID and a relative pingUrl', async () => {
      const job = await newJob('Pings: url');
      expect(job.pingUuid).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(job.pingUrl).toBe(`/ping/${job.pingUuid}`);
      expect((await newJob('Pings: url 2')).pingUuid).not.toBe(job.pingUuid);
    });

    it('curl-style: a plain success ping answers 200 OK and records a SUCCESS run', async () => {
      const job = await newJob('Pings: curl');
      const res = await ping(job.pingUrl);
      expect(res.status).toBe(200);
      expect(res.text).toBe('OK');
      expect(res.headers.get('Content-Type')).toMatch(/^text\/plain/);
      const [run, ...more] = await runsOf(job.id);
      expect(more).toHaveLength(0);
      expect(run!.status).toBe('SUCCESS');
      expect(run!.startedAt).not.toBeNull();
      expect(run!.finishedAt).not.toBeNull();
      expect(run!.metadata).toEqual({ source: 'ping' });
    });

    it('runitor-style: /start then a success POST with a body finishes that run with the body as output', async () => {
      const job = await newJob('Pings: runitor');
      expect((await ping(`${job.pingUrl}/start`, { method: 'POST' })).text).toBe('OK');
      const [started] = await runsOf(job.id);
      expect(started!.status).toBe('RUNNING');
      const res = await ping(job.pingUrl, { method: 'POST', body: 'backup done\n42 files' });
      expect(res.status).toBe(200);
      const runs = await runsOf(job.id);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.id).toBe(started!.id);
      expect(runs[0]!.status).toBe('SUCCESS');
      expect(await outputOf(started!.id)).toBe('backup done\n42 files');
    });

    it('start then exit status 3 fails the run with exitCode 3; /0 succeeds', async () => {
      const job = await newJob('Pings: exit');
      await ping(`${job.pingUrl}/start`);
      expect((await ping(`${job.pingUrl}/3`, { method: 'POST', body: 'disk full' })).text).toBe(
        'OK',
      );
      const [run] = await runsOf(job.id);
      expect(run!.status).toBe('FAILED');
      expect(run!.exitCode).toBe(3);
      expect(run!.errorMessage).toBe('exit status 3 (ping)');
      expect(await outputOf(run!.id)).toBe('disk full');
      await ping(`${job.pingUrl}/0`);
      const runs = await runsOf(job.id);
      expect(runs.map((r) => [r.status, r.exitCode])).toEqual([
        ['FAILED', 3],
        ['SUCCESS', 0],
      ]);
    });

    it('/fail records a FAILED run; an exit status over 255 is 400 invalid url format', async () => {
      const job = await newJob('Pings: fail');
      expect((await ping(`${job.pingUrl}/fail`)).status).toBe(200);
      const [run] = await runsOf(job.id);
      expect(run!.status).toBe('FAILED');
      expect(run!.exitCode).toBeNull();
      expect(run!.errorMessage).toBe('failure signalled (ping)');
      const res = await ping(`${job.pingUrl}/256`);
      expect(res.status).toBe(400);
      expect(res.text).toBe('invalid url format');
    });

    it('/log appends its body to the open run without changing its status, and creates nothing without one', async () => {
      const job = await newJob('Pings: log');
      expect((await ping(`${job.pingUrl}/log`, { method: 'POST', body: 'orphan' })).status).toBe(
        200,
      );
      expect(await runsOf(job.id)).toHaveLength(0);
      await ping(`${job.pingUrl}/start`);
      await ping(`${job.pingUrl}/log`, { method: 'POST', body: 'step 1' });
      await ping(`${job.pingUrl}/log`, { method: 'POST', body: 'step 2' });
      const [run] = await runsOf(job.id);
      expect(run!.status).toBe('RUNNING');
      expect(await outputOf(run!.id)).toBe('step 1\nstep 2');
    });

    it('rid pairs each finish with its own start when two runs overlap', async () => {
      const job = await newJob('Pings: rid');
      await ping(`${job.pingUrl}/start?rid=${RID_A}`);
      await ping(`${job.pingUrl}/start?rid=${RID_B}`);
      await ping(`${job.pingUrl}/1?rid=${RID_A}`);
      let runs = await runsOf(job.id);
      expect(runs.map((r) => [r.metadata?.rid, r.status])).toEqual([
        [RID_A, 'FAILED'],
        [RID_B, 'RUNNING'],
      ]);
      await ping(`${job.pingUrl}?rid=${RID_B}`);
      runs = await runsOf(job.id);
      expect(runs.map((r) => r.status)).toEqual(['FAILED', 'SUCCESS']);
      expect((await ping(`${job.pingUrl}?rid=not-a-uuid`)).status).toBe(400);
    });

    it('an unknown UUID or path is 404 not found, with no API key asked for', async () => {
      const res = await ping('/ping/5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10');
      expect(res.status).toBe(404);
      expect(res.text).toBe('not found');
      expect((await ping('/ping/5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10/start')).status).toBe(404);
      const job = await newJob('Pings: unknown');
      expect((await ping(`${job.pingUrl}/bogus`)).text).toBe('not found');
      expect(await runsOf(job.id)).toHaveLength(0);
    });

    it('keeps the last 64 KiB of a body, and a body over 100,000 bytes costs its text, not the ping', async () => {
      const job = await newJob('Pings: bodies');
      const long = `${'a'.repeat(30_000)}${'b'.repeat(40_000)}END`;
      const res = await ping(job.pingUrl, { method: 'POST', body: long });
      expect(res.headers.get('Ping-Body-Limit')).toBe('100000');
      const [first] = await runsOf(job.id);
      const output = (await outputOf(first!.id))!;
      expect(output).toHaveLength(65_536);
      expect(output.endsWith('bEND')).toBe(true);
      expect(
        (await ping(`${job.pingUrl}/fail`, { method: 'POST', body: 'x'.repeat(100_001) })).status,
      ).toBe(200);
      const runs = await runsOf(job.id);
      expect(runs.map((r) => r.status)).toEqual(['SUCCESS', 'FAILED']);
      expect(await outputOf(runs[1]!.id)).toMatch(/^\(ping body of 100001 bytes not stored/);
    });

    it('HEAD pings like GET, with no body', async () => {
      const job = await newJob('Pings: head');
      const res = await ping(job.pingUrl, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      expect((await runsOf(job.id)).map((r) => r.status)).toEqual(['SUCCESS']);
    });

    it('an archived job answers OK and records nothing (a paused check with manual resume)', async () => {
      const job = await newJob('Pings: archived');
      expect((await api.patch(`/api/jobs/${job.id}`, { archived: true })).status).toBe(200);
      expect((await ping(job.pingUrl)).text).toBe('OK');
      expect(await runsOf(job.id)).toHaveLength(0);
    });

    it('slug form: /ping/{pingKey}/{jobKey}; ?create=1 provisions the job (201 created) once', async () => {
      const projects = (await api.get('/api/projects')).body.data as Array<{
        name: string;
        pingKey: string;
      }>;
      const pingKey = projects.find((p) => p.name === 'default')!.pingKey;
      expect(pingKey).toMatch(/^[0-9a-f]{32}$/);
      const slug = `ping-slug-${Date.now()}`;
      expect((await ping(`/ping/${pingKey}/${slug}`)).status).toBe(404);
      const created = await ping(`/ping/${pingKey}/${slug}/start?create=1`);
      expect(created.status).toBe(201);
      expect(created.text).toBe('created');
      const again = await ping(`/ping/${pingKey}/${slug}?create=1`);
      expect(again.status).toBe(200);
      const job = (await api.get(`/api/jobs/by-key/${slug}`)).body as { id: number };
      expect((await runsOf(job.id)).map((r) => r.status)).toEqual(['SUCCESS']);
      expect((await ping(`/ping/${'0'.repeat(32)}/${slug}?create=1`)).status).toBe(404);
      expect((await ping(`/ping/${pingKey}/Not%20A%20Key?create=1`)).status).toBe(400);
    });

    it('shows a read key no ping URL (it would record runs), a write key the same as an admin', async () => {
      const job = await newJob('Pings: who sees the url');
      const { api: reader } = await clientWithNewKey(api, target, { scope: 'read' });
      const { api: writer } = await clientWithNewKey(api, target, { scope: 'write' });
      const asReader = (await reader.get(`/api/jobs/${job.id}`)).body;
      expect([asReader.pingUuid, asReader.pingUrl]).toEqual([null, null]);
      const listed = (await reader.get('/api/jobs?limit=100')).body.data as Array<{
        pingUuid: string | null;
      }>;
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.every((j) => j.pingUuid === null)).toBe(true);
      expect((await writer.get(`/api/jobs/${job.id}`)).body.pingUrl).toBe(job.pingUrl);
    });

    it('shows a project its ping key only through an admin key', async () => {
      const { api: reader } = await clientWithNewKey(api, target, { scope: 'read' });
      const [own] = (await reader.get('/api/projects')).body.data as Array<Record<string, unknown>>;
      expect(own).toBeDefined();
      expect(own).not.toHaveProperty('pingKey');
      const [asAdmin] = (await api.get('/api/projects')).body.data as Array<{ pingKey: string }>;
      expect(asAdmin!.pingKey).toMatch(/^[0-9a-f]{32}$/);
    });

    it('every answer, whatever its status or method, is open to any origin and never cached', async () => {
      const job = await newJob('Pings: headers');
      const { pingKey } = (
        (await api.get('/api/projects')).body.data as Array<{ pingKey: string }>
      )[0]!;
      const unknown = '/ping/5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10';
      const answers: Array<[string, string, number]> = [
        ['GET', job.pingUrl, 200],
        ['HEAD', job.pingUrl, 200],
        ['POST', job.pingUrl, 200],
        ['POST', `${job.pingUrl}/start`, 200],
        ['GET', `${job.pingUrl}/log`, 200],
        ['GET', `${job.pingUrl}/fail`, 200],
        ['GET', `${job.pingUrl}/3`, 200],
        ['GET', `${job.pingUrl}/256`, 400],
        ['GET', `${job.pingUrl}?rid=not-a-uuid`, 400],
        ['GET', unknown, 404],
        ['HEAD', `${unknown}/start`, 404],
        ['GET', `${job.pingUrl}/a/b/c`, 404],
        ['GET', `/ping/${pingKey}/pings-headers-slug?create=1`, 201],
        ['PUT', job.pingUrl, 405],
      ];
      for (const [method, path, status] of answers) {
        const res = await call(target, method, path, {
          key: null,
          headers: { Origin: 'https://status.example.org' },
        });
        expect(res.status, `${method} ${path}`).toBe(status);
        expect(res.headers.get('Access-Control-Allow-Origin'), `${method} ${path}`).toBe('*');
        expect(res.headers.get('Cache-Control'), `${method} ${path}`).toBe('no-cache');
      }
      // And without an Origin (curl, cron): the same headers.
      const plain = await ping(job.pingUrl);
      expect(plain.headers.get('Access-Control-Allow-Origin')).toBe('*');
      expect(plain.headers.get('Cache-Control')).toBe('no-cache');
    });

    it("answers a browser's preflight: 204, the ping methods, the headers it asked for", async () => {
      const job = await newJob('Pings: preflight');
      const res = await call(target, 'OPTIONS', `${job.pingUrl}/fail`, {
        key: null,
        headers: {
          Origin: 'https://status.example.org',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
      expect(res.headers.get('Access-Control-Allow-Methods')).toBe('GET,HEAD,POST');
      expect(res.headers.get('Access-Control-Allow-Headers')).toBe('content-type');
      expect(res.headers.get('Cache-Control')).toBe('no-cache');
      // A preflight is not a ping: nothing recorded.
      expect(await runsOf(job.id)).toHaveLength(0);
    });

    it('opens no CORS on the API: /api stays closed to other origins by default', async () => {
      const origin = { Origin: 'https://status.example.org' };
      const read = await api.get('/api/jobs', { headers: origin });
      expect(read.status).toBe(200);
      expect(read.headers.get('Access-Control-Allow-Origin')).toBeNull();
      const preflight = await call(target, 'OPTIONS', '/api/jobs', {
        key: null,
        headers: { ...origin, 'Access-Control-Request-Method': 'POST' },
      });
      expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
      const health = await call(target, 'GET', '/health', { key: null, headers: origin });
      expect(health.headers.get('Access-Control-Allow-Origin')).toBeNull();
    });

    it('is rate limited per client address: 429 past the quota', async () => {
      const job = await newJob('Pings: limited');
      const limited = getHarness().appWith({ rateLimiter: new TokenBucketLimiter(3) });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await call(limited, 'GET', job.pingUrl, { key: null })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const refused = await call(limited, 'GET', job.pingUrl, { key: null });
      expect(refused.headers.get('Access-Control-Allow-Origin')).toBe('*');
      expect(refused.headers.get('Cache-Control')).toBe('no-cache');
    });
  });
});
