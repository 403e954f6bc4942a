import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../../db/better-sqlite3.js';
import type { App } from '../app.js';
import { nodeDashboardAssets } from '../../runtime/node-dashboard.js';
import { appOver, inMemoryApp, TEST_ADMIN_KEY } from '../../../test/support/apps.js';

/** The dashboard served by the app from a build folder on disk, as the Node entry does. */
describe('serving the dashboard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-web-'));
  const INDEX = '<!doctype html><title>ChronoTrack</title><div id="root"></div>';
  let app: App;
  const html = { headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } };

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-3f2a9c.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'index-77aa.css'), 'body{}');
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    writeFileSync(join(tmpdir(), 'outside.txt'), 'secret');
    app = appOver(openBetterSqlite(':memory:'), undefined, {
      dashboardAssets: (await nodeDashboardAssets(dir))!,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves index.html at / and for the dashboard routes a browser opens, never cached', async () => {
    for (const path of ['/', '/jobs/12', '/runs', '/runs/7', '/channels']) {
      const res = await app.request(path, html);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('Cache-Control')).toBe('no-cache');
      expect(await res.text()).toBe(INDEX);
    }
    expect((await app.request('/')).status).toBe(200);
  });

  it('caches hashed assets for a year, immutable; other files for an hour', async () => {
    const js = await app.request('/assets/index-3f2a9c.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log(1)');
    const css = await app.request('/assets/index-77aa.css');
    expect(css.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    const icon = await app.request('/favicon.svg');
    expect(icon.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(icon.headers.get('Cache-Control')).toBe('public, max-age=3600');
    expect(icon.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('never falls back for /api/*, /health or /metrics, even for a browser', async () => {
    const unknownApi = await app.request('/api/nope', html);
    expect(unknownApi.status).toBe(401);
    expect(unknownApi.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    const withKey = await app.request('/api/nope', {
      headers: { ...html.headers, Authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    expect(withKey.status).toBe(404);
    expect(withKey.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    expect((await app.request('/api/jobs/1', html)).status).toBe(401);
    const health = await app.request('/health', html);
    expect(health.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect((await app.request('/api', html)).status).toBe(401);
    // GET /metrics is Prometheus' (a key is needed), never the dashboard's page.
    const metrics = await app.request('/metrics', html);
    expect(metrics.status).toBe(401);
    expect(metrics.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    for (const path of ['/metrics/x', '/healthz/x']) {
      const res = await app.request(path, html);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('keeps the old root paths a 404 naming the new one for API clients', async () => {
    const res = await app.request('/runs/7', { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      detail: expect.stringContaining('/api/runs/7'),
    });
    expect((await app.request('/jobs', html)).status).toBe(404); // not a dashboard route
    expect((await app.request('/jobs/1/runs', html)).status).toBe(404);
  });

  it('answers unknown files and anything outside the build with 404', async () => {
    for (const path of [
      '/assets/missing-1234.js',
      '/../outside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/%2e%2e/outside.txt',
      '/index.html',
      '/.env',
    ]) {
      const res = await app.request(path, html);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('secret');
    }
    const post = await app.request('/', { method: 'POST' });
    expect(post.status).toBe(404);
  });

  it('is not served at all without a build: / is a 404 problem', async () => {
    const bare = inMemoryApp();
    expect((await bare.request('/', html)).status).toBe(404);
    expect(await nodeDashboardAssets(join(dir, 'nowhere'))).toBeNull();
  });
});
