import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { createJsonLogger } from '../../shared/logger.js';
import { TokenBucketLimiter } from '../../shared/rate-limit.js';
import { appOver, TEST_ADMIN_KEY } from '../../test/support/apps.js';

/** Security headers on every response; CORS closed unless CORS_ORIGINS opens it. */
describe('HTTP hardening (Node + better-sqlite3)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-hardening-'));
  const database = openBetterSqlite(join(dir, 'h.db'));
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const silent = createJsonLogger({ silent: true });
  const auth = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

  it('sends the secure headers on successes, problems and probes', async () => {
    const app = appOver(database, silent);
    for (const response of [
      await app.request('/health'),
      await app.request('/api/jobs', { headers: auth }),
      await app.request('/api/jobs'),
      await app.request('/nowhere'),
    ]) {
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(response.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
      expect(response.headers.get('Strict-Transport-Security')).toMatch(/max-age=/);
      expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
      expect(response.headers.get('X-Request-Id')).toBeTruthy();
    }
  });

  it('answers no cross-origin request by default', async () => {
    const app = appOver(database, silent);
    const origin = { Origin: 'https://dash.example' };
    const simple = await app.request('/api/jobs', { headers: { ...auth, ...origin } });
    expect(simple.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const preflight = await app.request('/api/jobs', {
      method: 'OPTIONS',
      headers: { ...origin, 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('opens CORS to the configured origins only, preflights included', async () => {
    const app = appOver(database, silent, { corsOrigins: ['https://dash.example'] });
    const preflight = await app.request('/api/jobs', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://dash.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('https://dash.example');
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization/);
    const allowed = await app.request('/api/jobs', {
      headers: { ...auth, Origin: 'https://dash.example' },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://dash.example');
    expect(allowed.headers.get('Access-Control-Expose-Headers')).toMatch(/RateLimit/);
    const other = await app.request('/api/jobs', {
      headers: { ...auth, Origin: 'https://evil.example' },
    });
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('RATE_LIMIT_PER_MINUTE=0 (no limiter) sends no rate-limit headers', async () => {
    const app = appOver(database, silent, { rateLimiter: undefined });
    const res = await app.request('/api/jobs', { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('RateLimit')).toBeNull();
    expect(res.headers.get('RateLimit-Policy')).toBeNull();
  });

  it('with AUTH=off, each client address has its own rate-limit bucket', async () => {
    const app = appOver(database, silent, {
      auth: false,
      rateLimiter: new TokenBucketLimiter(2),
      clientAddress: (c) => c.req.header('X-Test-Client') ?? 'unknown',
    });
    const from = (client: string) =>
      app.request('/api/projects', { headers: { 'X-Test-Client': client } });
    expect((await from('10.0.0.1')).status).toBe(200);
    expect((await from('10.0.0.1')).status).toBe(200);
    expect((await from('10.0.0.1')).status).toBe(429);
    expect((await from('10.0.0.2')).status).toBe(200);
  });
});
