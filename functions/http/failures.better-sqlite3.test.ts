import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { createJsonLogger } from '../../shared/logger.js';
import { appOver, TEST_ADMIN_KEY } from '../../test/support/apps.js';

/**
 * What happens when the database itself fails: 503 from /health, a generic 500 elsewhere; a full
 * volume is 507 STORAGE_FULL for writes, reads go on and /health says degraded.
 */
describe('database failures (Node + better-sqlite3)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-fail-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function setup() {
    const database = openBetterSqlite(join(dir, `${crypto.randomUUID()}.db`));
    const lines: Record<string, unknown>[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(JSON.parse(line)) });
    const app = appOver(database, logger);
    return { app, database, lines };
  }

  it('/health is 503 with status error when the database does not answer', async () => {
    const { app, database } = setup();
    expect((await app.request('/health')).status).toBe(200);
    await database.close();
    const res = await app.request('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'error' });
  });

  it('an unexpected error is a generic 500 problem; the detail goes to the log only', async () => {
    const { app, database, lines } = setup();
    await database.close();
    const res = await app.request('/api/jobs', {
      headers: { 'X-Request-Id': 'trace-500', Authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    const body = await res.json();
    expect(body).toEqual({
      type: 'urn:chronotrack:problem:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: expect.any(String),
      code: 'INTERNAL_ERROR',
      requestId: 'trace-500',
    });
    expect(JSON.stringify(body)).not.toMatch(/database|sqlite|stack|connection/i);
    const logged = lines.find((line) => line.msg === 'unhandled error');
    expect(logged).toMatchObject({
      level: 'error',
      requestId: 'trace-500',
      method: 'GET',
      path: '/api/jobs',
    });
    expect(JSON.stringify(logged)).toMatch(/database connection is not open/);
  });

  const auth = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

  it('logs one JSON line per request and the domain events, all with the request id', async () => {
    const { app, lines } = setup();
    const job = (await (
      await app.request('/api/jobs', {
        method: 'POST',
        body: '{"name":"logged"}',
        headers: { ...auth, 'Content-Type': 'application/json', 'X-Request-Id': 'req-1' },
      })
    ).json()) as any;
    const run = (await (
      await app.request(`/api/jobs/${job.id}/runs`, { method: 'POST', headers: auth })
    ).json()) as any;
    await app.request(`/api/runs/${run.id}`, {
      method: 'PATCH',
      body: '{"status":"RUNNING"}',
      headers: { ...auth, 'Content-Type': 'application/json' },
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        requestId: 'req-1',
        method: 'POST',
        path: '/api/jobs',
        route: '/api/jobs',
        status: 201,
        durationMs: expect.any(Number),
        key: 'ADMIN_API_KEY',
      }),
    );
    // Domain events carry the id of the request that caused them.
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'job created', jobId: job.id, requestId: 'req-1' }),
    );
    const runCreated = lines.find((line) => line.msg === 'run created');
    const runRequest = lines.find(
      (line) =>
        line.msg === 'request' && line.method === 'POST' && String(line.path).endsWith('/runs'),
    );
    expect(runCreated?.requestId).toEqual(expect.any(String));
    expect(runCreated?.requestId).toBe(runRequest?.requestId);
    expect(runRequest?.route).toBe('/api/jobs/{id}/runs');
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'run created',
        runId: run.id,
        jobId: job.id,
        status: 'PENDING',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'run status changed',
        runId: run.id,
        from: 'PENDING',
        to: 'RUNNING',
      }),
    );
  });
  it('a full volume: writes 507 STORAGE_FULL, reads 200, /health degraded, one log line each way', async () => {
    const { app, database, lines } = setup();
    const json = { ...auth, 'Content-Type': 'application/json' };
    const createJob = (name: string) =>
      app.request('/api/jobs', {
        method: 'POST',
        body: JSON.stringify({ name, description: name.repeat(2000).slice(0, 2000) }),
        headers: json,
      });
    expect((await createJob('before')).status).toBe(201);
    // SQLITE_FULL without a full disk: no page may be added (the e2e test fills a real tmpfs).
    const pages = database.sqlite.pragma('page_count', { simple: true }) as number;
    database.sqlite.pragma(`max_page_count = ${pages}`);

    for (const name of ['a', 'b', 'c']) {
      const refused = await createJob(name);
      expect(refused.status).toBe(507);
      expect(refused.headers.get('Retry-After')).toBe('60');
      expect(await refused.json()).toMatchObject({
        type: 'urn:chronotrack:problem:storage-full',
        title: 'Insufficient Storage',
        status: 507,
        code: 'STORAGE_FULL',
        detail: expect.stringMatching(/volume is full/),
      });
    }
    expect((await app.request('/api/jobs', { headers: auth })).status).toBe(200);
    const degraded = await app.request('/health');
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toEqual({ status: 'degraded', storage: 'full' });
    expect(lines.filter((line) => line.msg === 'storage full: writes refused')).toHaveLength(1);
    expect(lines.filter((line) => line.msg === 'unhandled error')).toEqual([]);

    database.sqlite.pragma('max_page_count = 1073741823');
    expect((await createJob('after')).status).toBe(201);
    expect(await (await app.request('/health')).json()).toEqual({ status: 'ok' });
    expect(lines.filter((line) => line.msg === 'storage writable again')).toEqual([
      expect.objectContaining({ level: 'info', refusedWrites: 3 }),
    ]);
  });
});
