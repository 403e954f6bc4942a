import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/access.js';
import { TokenBucketLimiter } from '../../../shared/rate-limit.js';
import type { AppEnv } from '../env.js';
import { rateLimit } from './rate-limit.js';

const PER_MINUTE = 3;

/**
 * The limiter with a clock that stands still, so the quota is spent and not refilled while the
 * test runs. `X-Test-Key` stands in for what `authenticate()` sets before the limiter runs.
 */
function limitedApp() {
  const app = new Hono<AppEnv>();
  app.use(async function principalOfTestKey(c, next) {
    const keyId = c.req.header('X-Test-Key');
    if (keyId) {
      const principal: Principal = {
        keyId: Number(keyId),
        name: 'k',
        scope: 'read',
        projectId: null,
      };
      c.set('principal', principal);
    }
    await next();
  });
  app.use(
    rateLimit({
      limiter: new TokenBucketLimiter(PER_MINUTE, () => 1_000_000),
      isExempt: (path) => path === '/health',
      clientAddress: (c) => c.req.header('X-Test-Address') ?? 'unknown',
    }),
  );
  app.get('/health', (c) => c.text('ok'));
  app.get('/api/jobs', (c) => c.json([]));
  return app;
}

const asKey = (id: number) => ({ headers: { 'X-Test-Key': String(id) } });

describe('rateLimit', () => {
  it('tells an allowed request the policy and what is left of it', async () => {
    const app = limitedApp();
    const response = await app.request('/api/jobs', asKey(1));

    expect(response.status).toBe(200);
    expect(response.headers.get('RateLimit-Policy')).toBe(`"default";q=${PER_MINUTE};w=60`);
    expect(response.headers.get('RateLimit')).toBe('"default";r=2;t=20');
  });

  it('answers 429 with Retry-After and the RateLimit headers once the quota is spent', async () => {
    const app = limitedApp();
    for (let i = 0; i < PER_MINUTE; i++)
      expect((await app.request('/api/jobs', asKey(1))).status).toBe(200);

    const refused = await app.request('/api/jobs', asKey(1));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('20');
    expect(refused.headers.get('RateLimit-Policy')).toBe(`"default";q=${PER_MINUTE};w=60`);
    expect(refused.headers.get('RateLimit')).toBe('"default";r=0;t=20');
    expect(refused.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({
      code: 'RATE_LIMITED',
      detail: expect.stringContaining('for this key'),
    });
  });

  it("never spends one key's quota on another key's requests", async () => {
    const app = limitedApp();
    for (let i = 0; i <= PER_MINUTE; i++) await app.request('/api/jobs', asKey(1));

    expect((await app.request('/api/jobs', asKey(1))).status).toBe(429);
    expect((await app.request('/api/jobs', asKey(2))).status).toBe(200);
  });

  it('limits callers without a key by their address', async () => {
    const app = limitedApp();
    const from = (address: string) => ({ headers: { 'X-Test-Address': address } });
    for (let i = 0; i < PER_MINUTE; i++) await app.request('/api/jobs', from('192.0.2.1'));

    const refused = await app.request('/api/jobs', from('192.0.2.1'));
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ detail: expect.stringContaining('address') });
    expect((await app.request('/api/jobs', from('192.0.2.2'))).status).toBe(200);
  });

  it('never limits an exempt path', async () => {
    const app = limitedApp();
    for (let i = 0; i <= PER_MINUTE; i++) await app.request('/api/jobs', asKey(1));

    const health = await app.request('/health', asKey(1));
    expect(health.status).toBe(200);
    expect(health.headers.get('RateLimit')).toBeNull();
  });
});
