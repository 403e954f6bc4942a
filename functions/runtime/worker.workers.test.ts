import { createExecutionContext, env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { openD1 } from '../../db/d1.js';
import type { App } from '../http/app.js';
import worker, { createWorker } from './worker.js';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { testRuntime, type TestOverrides } from '../../test/support/runtime.js';

describe('Workers entry bindings', () => {
  /** A misconfigured Worker answers through the app's error path, like any other error. */
  async function expectMisconfigured(vars: Record<string, unknown>, detail: RegExp) {
    const response = await createWorker().fetch(
      new Request('http://chronotrack.test/api/jobs', {
        headers: { 'X-Request-Id': 'req-boot-1' },
      }),
      vars,
      createExecutionContext(),
    );
    expect(response.status).toBe(500);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(response.headers.get('X-Request-Id')).toBe('req-boot-1');
    // The same security headers as any answer of the working app (a 404 here).
    const served = await worker.fetch(
      new Request('http://chronotrack.test/nowhere'),
      env,
      createExecutionContext(),
    );
    const security = (headers: Headers) =>
      [...headers].filter(([name]) => !/^(content-(type|length)|x-request-id|date)$/.test(name));
    expect(security(response.headers)).toEqual(security(served.headers));
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(await response.json()).toEqual({
      type: 'urn:chronotrack:problem:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: expect.stringMatching(detail),
      code: 'INTERNAL_ERROR',
      requestId: 'req-boot-1',
    });
  }

  it('answers a clear 500 problem when the DB binding is missing', async () => {
    await expectMisconfigured({}, /D1 binding named DB/);
  });

  it('answers a 500 problem naming the variable, never its value, when a var is invalid', async () => {
    await expectMisconfigured(
      { ...env, ADMIN_API_KEY: 'too-short-secret' },
      /^Invalid configuration: ADMIN_API_KEY: .*Fix the Worker's vars or secrets\.$/,
    );
    await expectMisconfigured({ ...env, ADMIN_API_KEY: 'too-short-secret' }, /^(?!.*too-short)/);
  });

  it('serves through the real D1 binding when it is there', async () => {
    const response = await worker.fetch(
      new Request('http://chronotrack.test/health'),
      env,
      createExecutionContext(),
    );
    expect(response.status).toBe(200);
  });
});

describe('GET /api/docs on Workers', () => {
  it('serves the page and Swagger UI from the static assets binding', async () => {
    const page = await SELF.fetch('http://chronotrack.test/api/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/api/docs/assets/swagger-ui-bundle.js');
    const css = await SELF.fetch('http://chronotrack.test/api/docs/assets/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('Content-Type')).toMatch(/text\/css/);
    expect((await css.text()).length).toBeGreaterThan(10_000);
    expect((await SELF.fetch('http://chronotrack.test/api/docs/assets/package.json')).status).toBe(
      404,
    );
    // The asset folder is not reachable at its own paths: the API owns every route.
    expect((await SELF.fetch('http://chronotrack.test/index.html')).status).toBe(404);
  });
});

describe('API key secrets on D1', () => {
  it('stores only the hash: the plaintext is in no row of any table', async () => {
    const created = await SELF.fetch('http://chronotrack.test/api/keys', {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'd1 secret', scope: 'read' }),
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const used = await SELF.fetch('http://chronotrack.test/api/jobs', {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(used.status).toBe(200);

    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
    ).all<{ name: string }>();
    let dump = '';
    for (const { name } of tables.results) {
      const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      dump += JSON.stringify(rows.results);
    }
    expect(dump).toContain('d1 secret');
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(TEST_ADMIN_KEY);
    const stored = await env.DB.prepare('SELECT hash, prefix FROM api_keys WHERE name = ?')
      .bind('d1 secret')
      .first<{ hash: string; prefix: string }>();
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.prefix).toBe(key.slice(0, 9));
  });
});

describe('GET /metrics on Workers + D1', () => {
  const isolate = (overrides: TestOverrides = {}) =>
    testRuntime(openD1(env.DB), undefined, { rateLimiter: undefined, ...overrides }).app;
  const scrape = async (app: App) => {
    const res = await app.request('/metrics', {
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    expect(res.status).toBe(200);
    return res.text();
  };

  it('every isolate reports the same counters: they are read from D1', async () => {
    const first = isolate();
    const created = await first.request('/api/jobs', {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'isolates' }),
    });
    const { id } = (await created.json()) as { id: number };
    await first.request(`/api/jobs/${id}/runs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const text = await scrape(first);
    expect(text).toContain(
      `chronotrack_runs_created_total{job_id="${id}",job_name="isolates",project="default"} 1`,
    );
    expect(await scrape(isolate())).toBe(text);
    // No process metrics on Workers: an isolate's own figures would describe one of many.
    expect(text).not.toMatch(/^(process|nodejs|http_server)_/m);
  });

  it('METRICS_PUBLIC=true answers without a key', async () => {
    expect((await isolate().request('/metrics')).status).toBe(401);
    expect((await isolate({ metricsPublic: true }).request('/metrics')).status).toBe(200);
  });
});
