import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';
import { client, clientWithNewKey, type Client } from '../../../test/support/client.js';
import { TEST_ADMIN_KEY } from '../../../test/support/keys.js';
import { expectProblem } from '../../../test/api/expect-problem.js';

interface OpenApiOperation {
  security?: Array<Record<string, string[]>>;
  /** The ping URLs' own server (`/`): they are outside /api. */
  servers?: Array<{ url: string }>;
}
type OpenApiPaths = Record<string, Record<string, OpenApiOperation>>;

/** A key of the right shape that was never issued. */
const UNKNOWN_KEY = `ct_${'Z'.repeat(40)}`;

/**
 * Access control, on every runtime: keys and scopes on every route of the OpenAPI document,
 * key management, project isolation (OWASP API1), mass assignment (API3) and rate limits (API4).
 */
describeOnEveryDriver((getHarness) => {
  describe('authentication and authorization', () => {
    let admin: Client;
    let anonymous: Client;
    let reader: Client;
    let operations: Array<{ method: string; path: string; scope: string | null }>;

    beforeAll(async () => {
      admin = client(getHarness().target);
      anonymous = client(getHarness().target, null);
      reader = (await clientWithNewKey(admin, getHarness().target, { scope: 'read' })).api;
      const doc = (await anonymous.get('/api/openapi.json')).body as {
        paths: OpenApiPaths;
        servers: Array<{ url: string }>;
      };
      const base = doc.servers[0]!.url;
      operations = Object.entries(doc.paths).flatMap(([template, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          method: method.toUpperCase(),
          path:
            (operation.servers?.[0]?.url ?? base).replace(/\/$/, '') +
            template.replace(/\{[^}]+\}/g, '1'),
          scope: operation.security?.[0] ? Object.values(operation.security[0])[0]![0]! : null,
        })),
      );
    });

    const guarded = () => operations.filter((op) => op.scope !== null);
    const bodyFor = (method: string) =>
      method === 'POST' || method === 'PATCH' || method === 'PUT'
        ? { body: '{"name": 5, "bogus": true}', headers: { 'Content-Type': 'application/json' } }
        : {};

    it('every operation in the document but health, the pings and the badges declares a scope', async () => {
      expect(guarded().length).toBeGreaterThanOrEqual(15);
      const keyless = operations.filter((op) => op.scope === null);
      const secretInUrl = (op: { path: string }) => /^\/(ping|badge)\//.test(op.path);
      expect(keyless.filter((op) => !secretInUrl(op)).map((op) => op.path)).toEqual([
        '/api/health',
      ]);
      // The ping and badge URLs need no key (the URL is the secret): unknown ones answer 404,
      // never 401.
      const pings = keyless.filter((op) => op.path.startsWith('/ping/'));
      expect(pings.length).toBeGreaterThanOrEqual(27);
      expect(keyless.filter((op) => op.path.startsWith('/badge/')).length).toBe(4);
      for (const op of keyless.filter(secretInUrl)) {
        const res = await anonymous.call(op.method, op.path);
        expect(res.status, `${op.method} ${op.path}`).toBe(404);
      }
    });

    it('every guarded route answers 401 with WWW-Authenticate without a key, before validation', async () => {
      for (const op of guarded()) {
        const res = await anonymous.call(op.method, op.path, bodyFor(op.method));
        expectProblem(res, 401, 'UNAUTHENTICATED');
        expect(res.headers.get('WWW-Authenticate'), `${op.method} ${op.path}`).toMatch(/^Bearer /);
      }
    });

    it('every guarded route answers 401 to an unknown or malformed key', async () => {
      for (const op of guarded()) {
        for (const headers of <Array<Record<string, string>>>[
          { Authorization: `Bearer ${UNKNOWN_KEY}` },
          { Authorization: 'Basic dXNlcjpwYXNz' },
          { Authorization: 'Bearer' },
          { 'X-Api-Key': UNKNOWN_KEY },
        ]) {
          const res = await anonymous.call(op.method, op.path, {
            ...bodyFor(op.method),
            headers: { ...bodyFor(op.method).headers, ...headers },
          });
          expectProblem(res, 401, 'UNAUTHENTICATED');
          expect(res.headers.get('WWW-Authenticate')).toMatch(/error="invalid_token"/);
          expect(res.text).not.toContain(UNKNOWN_KEY);
        }
      }
    });

    it('a 401 names the header form when the key was sent without `Bearer `, and only then', async () => {
      const hint = 'send the key as `Authorization: Bearer <key>` (or `X-Api-Key: <key>`).';
      const detail = async (headers: Record<string, string>) => {
        const res = await anonymous.call('GET', '/api/jobs', { headers });
        expectProblem(res, 401, 'UNAUTHENTICATED');
        return res.body.detail as string;
      };
      // The scheme left out or a different one: the same hint, whatever the key.
      for (const key of [TEST_ADMIN_KEY, UNKNOWN_KEY]) {
        for (const authorization of [
          key,
          `Token ${key}`,
          `Basic ${key}`,
          'Bearer',
          `Bearer ${key} x`,
        ])
          expect(await detail({ Authorization: authorization }), authorization).toBe(
            `The Authorization header is not of the form \`Bearer <key>\`: ${hint}`,
          );
        expect(await detail({ 'X-Api-Key': `Bearer ${key}` })).toBe(
          `The X-Api-Key header holds the key alone, without a scheme or spaces: ${hint}`,
        );
      }
      // A well-formed header says nothing about the key: unknown and revoked read the same.
      const { api: revoked, created } = await clientWithNewKey(admin, getHarness().target, {
        scope: 'read',
      });
      expect((await admin.delete(`/api/keys/${created.id}`)).status).toBe(204);
      const invalid = 'The API key is not valid: unknown, revoked or malformed.';
      for (const key of [UNKNOWN_KEY, revoked.key!, 'ct_short']) {
        expect(await detail({ Authorization: `Bearer ${key}` })).toBe(invalid);
        expect(await detail({ 'X-Api-Key': key })).toBe(invalid);
      }
      expect(await detail({})).toBe(`This route needs an API key: ${hint}`);
    });

    it('a read key gets 403 on every route that needs more, before validation', async () => {
      const stronger = guarded().filter((op) => op.scope !== 'read');
      expect(stronger.length).toBeGreaterThanOrEqual(8);
      for (const op of stronger) {
        const res = await reader.call(op.method, op.path, bodyFor(op.method));
        expectProblem(res, 403, 'INSUFFICIENT_SCOPE');
      }
      for (const op of guarded().filter((o) => o.scope === 'read')) {
        const res = await reader.call(op.method, op.path);
        expect([200, 404], `${op.method} ${op.path}: ${res.text}`).toContain(res.status);
      }
    });

    it('a weak key gets 403 even for an oversized body: the body is never read', async () => {
      const huge = JSON.stringify({ name: 'x'.repeat(100_000) });
      const res = await reader.call('POST', '/api/jobs', {
        body: huge,
        headers: { 'Content-Type': 'application/json' },
      });
      expectProblem(res, 403, 'INSUFFICIENT_SCOPE');
      expectProblem(
        await admin.call('POST', '/api/jobs', {
          body: huge,
          headers: { 'Content-Type': 'application/json' },
        }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
    });

    it('a write key creates jobs and runs, but manages neither keys nor projects', async () => {
      const { api: writer } = await clientWithNewKey(admin, getHarness().target, {
        scope: 'write',
      });
      const job = await writer.job('Written with a write key');
      expect((await writer.post(`/api/jobs/${job.id}/runs`, { status: 'RUNNING' })).status).toBe(
        201,
      );
      expectProblem(await writer.post('/api/keys', { name: 'x', scope: 'read' }), 403);
      expectProblem(await writer.get('/api/keys'), 403);
      expectProblem(await writer.post('/api/projects', { name: 'nope' }), 403);
      expect((await writer.get('/api/projects')).status).toBe(200);
    });

    it('health, the OpenAPI document and the docs page need no key', async () => {
      expect((await anonymous.get('/health')).status).toBe(200);
      expect((await anonymous.get('/api/health')).status).toBe(200);
      expect((await anonymous.get('/api/openapi.json')).status).toBe(200);
    });

    it('the old root paths answer 404 naming the new path, to clients with or without a key', async () => {
      for (const api of [anonymous, admin]) {
        const res = await api.get('/jobs/1/runs');
        expectProblem(res, 404, 'ROUTE_NOT_FOUND');
        expect(res.body.detail).toContain('/api/jobs/1/runs');
        expectProblem(await api.post('/runs', {}), 404, 'ROUTE_NOT_FOUND');
        expect((await api.get('/openapi.json')).body.detail).toContain('/api/openapi.json');
      }
    });
  });

  describe('API keys', () => {
    let admin: Client;
    beforeAll(() => {
      admin = client(getHarness().target);
    });

    it('POST /api/keys returns the secret once; GET lists keys without secrets or hashes', async () => {
      const res = await admin.post('/api/keys', { name: '  ci deploy  ', scope: 'write' });
      expect(res.status).toBe(201);
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      const key = res.body.key as string;
      expect(key).toMatch(/^ct_[0-9A-Za-z]{40}$/);
      expect(res.body).toEqual({
        id: expect.any(Number),
        name: 'ci deploy',
        prefix: key.slice(0, 9),
        scope: 'write',
        projectId: null,
        createdAt: expect.any(String),
        lastUsedAt: null,
        revokedAt: null,
        expiresAt: null,
        key,
      });
      const list = await admin.get('/api/keys');
      expect(list.status).toBe(200);
      const listed = list.body.data.find((k: { id: number }) => k.id === res.body.id);
      const { key: _secret, ...withoutSecret } = res.body;
      expect(listed).toEqual(withoutSecret);
      expect(list.text).not.toContain(key);
      expect(list.text).not.toMatch(/"hash"|[0-9a-f]{64}/);
    });

    it('keys work as Bearer and as X-Api-Key, and record their last use', async () => {
      const { api, created } = await clientWithNewKey(admin, getHarness().target, {
        scope: 'read',
      });
      expect((await api.get('/api/jobs')).status).toBe(200);
      const viaHeader = await api.get('/api/jobs', {
        key: null,
        headers: { 'X-Api-Key': api.key! },
      });
      expect(viaHeader.status).toBe(200);
      // Written in the background (waitUntil on Workers): give it a moment to land.
      let lastUsedAt: string | null = null;
      for (let i = 0; i < 50 && !lastUsedAt; i++) {
        const keys = (await admin.get('/api/keys')).body.data as Array<{
          id: number;
          lastUsedAt: string | null;
        }>;
        lastUsedAt = keys.find((k) => k.id === created.id)!.lastUsedAt;
        if (!lastUsedAt) await new Promise((r) => setTimeout(r, 20));
      }
      expect(lastUsedAt).not.toBeNull();
    });

    it('DELETE /api/keys/{id} revokes at once; again is a no-op; an unknown id is 404', async () => {
      const { api, created } = await clientWithNewKey(admin, getHarness().target, {
        scope: 'write',
      });
      expect((await api.get('/api/jobs')).status).toBe(200);
      const revoked = await admin.delete(`/api/keys/${created.id}`);
      expect(revoked.status).toBe(204);
      expect(revoked.text).toBe('');
      expectProblem(await api.get('/api/jobs'), 401, 'UNAUTHENTICATED');
      expect((await admin.delete(`/api/keys/${created.id}`)).status).toBe(204);
      const listed = (await admin.get('/api/keys')).body.data.find(
        (k: { id: number }) => k.id === created.id,
      );
      expect(listed.revokedAt).toEqual(expect.any(String));
      expectProblem(await admin.delete('/api/keys/987654321'), 404, 'KEY_NOT_FOUND');
      expectProblem(await admin.delete('/api/keys/abc'), 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['an unknown scope', { name: 'k', scope: 'root' }],
      ['no name', { scope: 'read' }],
      ['an admin key bound to a project', { name: 'k', scope: 'admin', projectId: 1 }],
      ['a chosen hash', { name: 'k', scope: 'read', hash: 'a'.repeat(64) }],
      ['a chosen secret', { name: 'k', scope: 'read', key: `ct_${'a'.repeat(40)}` }],
      ['a chosen id', { name: 'k', scope: 'read', id: 1 }],
    ])('POST /api/keys: 400 for %s', async (_name, body) => {
      expectProblem(await admin.post('/api/keys', body), 400, 'VALIDATION_FAILED');
    });

    it('POST /api/keys: 404 for a project that does not exist', async () => {
      expectProblem(
        await admin.post('/api/keys', { name: 'k', scope: 'read', projectId: 987654321 }),
        404,
        'PROJECT_NOT_FOUND',
      );
    });
  });

  describe('projects and isolation between them', () => {
    let admin: Client;
    let alpha: { id: number };
    let beta: { id: number };
    let alphaWriter: Client;
    let betaWriter: Client;
    let alphaJob: { id: number };
    let alphaRun: { id: number };

    beforeAll(async () => {
      admin = client(getHarness().target);
      const suffix = Math.random().toString(36).slice(2, 8);
      alpha = (await admin.post('/api/projects', { name: `alpha-${suffix}` })).body;
      beta = (await admin.post('/api/projects', { name: `beta-${suffix}` })).body;
      alphaWriter = (
        await clientWithNewKey(admin, getHarness().target, { scope: 'write', projectId: alpha.id })
      ).api;
      betaWriter = (
        await clientWithNewKey(admin, getHarness().target, { scope: 'write', projectId: beta.id })
      ).api;
      alphaJob = await alphaWriter.job('Alpha nightly', { type: 'isolation' });
      alphaRun = await alphaWriter.run(alphaJob.id, { status: 'RUNNING' });
    });

    it('a default project exists; POST /api/projects creates one, a taken name is 409', async () => {
      const list = await admin.get('/api/projects');
      expect(list.status).toBe(200);
      expect(list.body.data[0]).toMatchObject({ id: 1, name: 'default' });
      const name = `gamma-${Math.random().toString(36).slice(2, 8)}`;
      const created = await admin.post('/api/projects', { name });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        name,
        pingKey: expect.stringMatching(/^[0-9a-f]{32}$/),
        // Badges stay off until an admin turns them on (POST /api/projects/{id}/badge-key).
        badgeKey: null,
        retentionDays: null,
        createdAt: expect.any(String),
      });
      expectProblem(await admin.post('/api/projects', { name }), 409, 'PROJECT_NAME_TAKEN');
      expectProblem(await admin.post('/api/projects', { name: '' }), 400, 'VALIDATION_FAILED');
      expectProblem(
        await admin.post('/api/projects', { name: 'x', id: 9 }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it("a project-scoped key's jobs land in its project; jobs default to project 1", async () => {
      expect(alphaJob).toMatchObject({ projectId: alpha.id });
      expect((await admin.job('Unscoped default')).projectId).toBe(1);
      expect((await admin.job('Placed in beta', { projectId: beta.id })).projectId).toBe(beta.id);
      expectProblem(
        await admin.post('/api/jobs', { name: 'nowhere', projectId: 987654321 }),
        404,
        'PROJECT_NOT_FOUND',
      );
      expectProblem(
        await betaWriter.post('/api/jobs', { name: 'into alpha', projectId: alpha.id }),
        404,
        'PROJECT_NOT_FOUND',
      );
      expect(
        (await alphaWriter.post('/api/jobs', { name: 'own', projectId: alpha.id })).status,
      ).toBe(201);
    });

    it("another project's job and run ids are 404 on every route, and nothing changes", async () => {
      const j = alphaJob.id;
      const r = alphaRun.id;
      expectProblem(await betaWriter.get(`/api/jobs/${j}`), 404, 'JOB_NOT_FOUND');
      expectProblem(await betaWriter.patch(`/api/jobs/${j}`, { name: 'taken' }), 404);
      expectProblem(await betaWriter.patch(`/api/jobs/${j}`, { archived: true }), 404);
      expectProblem(await betaWriter.get(`/api/jobs/${j}/runs`), 404, 'JOB_NOT_FOUND');
      expectProblem(await betaWriter.post(`/api/jobs/${j}/runs`, {}), 404, 'JOB_NOT_FOUND');
      expectProblem(await betaWriter.get(`/api/jobs/${j}/stats`), 404, 'JOB_NOT_FOUND');
      expectProblem(await betaWriter.get(`/api/runs/${r}`), 404, 'RUN_NOT_FOUND');
      expectProblem(
        await betaWriter.patch(`/api/runs/${r}`, { status: 'FAILED' }),
        404,
        'RUN_NOT_FOUND',
      );
      // Exactly what a missing id looks like: the existence is not revealed.
      const missing = await betaWriter.get('/api/jobs/987654321');
      const foreign = await betaWriter.get(`/api/jobs/${j}`);
      expect(foreign.body.detail).toBe(missing.body.detail.replace('987654321', String(j)));

      const job = await admin.get(`/api/jobs/${j}`);
      expect(job.body).toMatchObject({ name: 'Alpha nightly', archived: false });
      expect((await admin.get(`/api/runs/${r}`)).body.status).toBe('RUNNING');
      expect((await admin.get(`/api/jobs/${j}/runs`)).body.data).toHaveLength(1);
    });

    it("lists, filters and searches hold only the key's own project", async () => {
      const betaJob = await betaWriter.job('Beta nightly', { type: 'isolation' });
      await betaWriter.run(betaJob.id);
      const ids = (res: { body: { data: Array<{ id: number }> } }) =>
        res.body.data.map((row) => row.id);
      const jobsOf = async (api: Client, query = '') =>
        ids(await api.get(`/api/jobs?limit=200&archived=all${query}`));

      const betaJobs = await jobsOf(betaWriter);
      expect(betaJobs).toContain(betaJob.id);
      expect(betaJobs).not.toContain(alphaJob.id);
      for (const id of betaJobs)
        expect((await admin.get(`/api/jobs/${id}`)).body.projectId).toBe(beta.id);
      expect(await jobsOf(betaWriter, '&q=nightly')).toEqual([betaJob.id]);
      expect(await jobsOf(betaWriter, '&type=isolation')).toEqual([betaJob.id]);
      expect(await jobsOf(betaWriter, `&projectId=${alpha.id}`)).toEqual([]);

      const betaRuns = (await betaWriter.get('/api/runs?limit=200')).body.data as Array<{
        jobId: number;
      }>;
      expect(betaRuns.length).toBeGreaterThan(0);
      expect(betaRuns.every((run) => run.jobId === betaJob.id)).toBe(true);
      expect(ids(await betaWriter.get(`/api/runs?jobId=${alphaJob.id}`))).toEqual([]);
      expect(ids(await betaWriter.get('/api/runs?jobType=isolation'))).not.toContain(alphaRun.id);
      expect(ids(await betaWriter.get('/api/runs?status=RUNNING&limit=200'))).not.toContain(
        alphaRun.id,
      );

      // A key that sees every project filters by project when it asks.
      expect(await jobsOf(admin, `&projectId=${alpha.id}`)).not.toContain(betaJob.id);
      expect(await jobsOf(admin, `&projectId=${alpha.id}`)).toContain(alphaJob.id);
      expect(ids(await admin.get(`/api/runs?projectId=${beta.id}&limit=200`))).not.toContain(
        alphaRun.id,
      );

      const projects = (await betaWriter.get('/api/projects')).body.data;
      expect(projects).toEqual([expect.objectContaining({ id: beta.id })]);
    });
  });

  describe('mass assignment', () => {
    let admin: Client;
    let jobId: number;
    let runId: number;
    beforeAll(async () => {
      admin = client(getHarness().target);
      jobId = (await admin.job('Mass assignment')).id;
      runId = (await admin.run(jobId, { status: 'RUNNING' })).id;
    });

    it.each([
      ['POST /api/jobs with an id', 'POST', '/api/jobs', { name: 'x', id: 999 }],
      ['POST /api/jobs with createdAt', 'POST', '/api/jobs', { name: 'x', createdAt: 'z' }],
      ['POST /api/jobs with archived', 'POST', '/api/jobs', { name: 'x', archived: true }],
      ['PATCH /api/jobs with projectId', 'PATCH', 'job', { projectId: 2 }],
      ['PATCH /api/jobs with an id', 'PATCH', 'job', { id: 5 }],
      ['PATCH /api/jobs with updatedAt', 'PATCH', 'job', { updatedAt: '2020-01-01T00:00:00Z' }],
      ['PATCH /api/runs with a jobId', 'PATCH', 'run', { jobId: 1 }],
      ['PATCH /api/runs with durationMs', 'PATCH', 'run', { durationMs: 1 }],
      ['POST runs with createdAt', 'POST', 'runs', { createdAt: '2020-01-01T00:00:00Z' }],
    ])('%s is a 400 that changes nothing', async (_name, method, where, body) => {
      const path =
        where === 'job'
          ? `/api/jobs/${jobId}`
          : where === 'run'
            ? `/api/runs/${runId}`
            : where === 'runs'
              ? `/api/jobs/${jobId}/runs`
              : where;
      const before = [
        (await admin.get(`/api/jobs/${jobId}`)).body,
        (await admin.get(`/api/runs/${runId}`)).body,
      ];
      const res = await admin.call(method, path, { json: body });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: '(root)' })]),
      );
      expect([
        (await admin.get(`/api/jobs/${jobId}`)).body,
        (await admin.get(`/api/runs/${runId}`)).body,
      ]).toEqual(before);
    });
  });

  describe('rate limits', () => {
    it('429 with Retry-After and RateLimit headers past the quota; other keys are untouched', async () => {
      const admin = client(getHarness().target);
      const { api: flooder } = await clientWithNewKey(admin, getHarness().target, {
        scope: 'read',
      });
      const { api: bystander } = await clientWithNewKey(admin, getHarness().target, {
        scope: 'read',
      });

      const first = await flooder.get('/api/projects');
      expect(first.status).toBe(200);
      const policy = first.headers.get('RateLimit-Policy')!;
      expect(policy).toMatch(/^"default";q=\d+;w=60$/);
      const quota = Number(/q=(\d+)/.exec(policy)![1]);
      expect(first.headers.get('RateLimit')).toMatch(/^"default"(;r=\d+)?;t=\d+$/);
      const remaining = (res: { headers: Headers }) => {
        const match = /;r=(\d+)/.exec(res.headers.get('RateLimit') ?? '');
        return match ? Number(match[1]) : null;
      };
      const second = await flooder.get('/api/projects');
      if (remaining(first) !== null) expect(remaining(second)).toBeLessThan(remaining(first)!);

      // The quota may straddle a window (Workers' binding counts in fixed windows): two windows'
      // worth of requests always get past it.
      let limited: Awaited<ReturnType<Client['get']>> | undefined;
      for (let i = 0; i < 2 * quota + 10 && !limited; i++) {
        const res = await flooder.get('/api/projects');
        if (res.status === 429) limited = res;
        else expect(res.status).toBe(200);
      }
      expect(limited, 'no 429 within two windows of requests').toBeDefined();
      expectProblem(limited!, 429, 'RATE_LIMITED');
      expect(Number(limited!.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
      expect(limited!.headers.get('RateLimit-Policy')).toBe(policy);
      expect(limited!.headers.get('RateLimit')).toMatch(/^"default"(;r=0)?;t=\d+$/);

      const other = await bystander.get('/api/projects');
      expect(other.status).toBe(200);
      expect((await client(getHarness().target, null).get('/health')).status).toBe(200);
      expect(
        (await client(getHarness().target, null).get('/api/health')).headers.get('RateLimit'),
      ).toBeNull();
    }, 60_000);
  });
});
