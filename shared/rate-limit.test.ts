import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from './rate-limit.js';

describe('TokenBucketLimiter', () => {
  it("allows a minute's quota at once, then refills continuously", async () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect((await limiter.check('k')).allowed).toBe(true);
    const denied = await limiter.check('k');
    expect(denied).toMatchObject({ allowed: false, limit: 60, remaining: 0, windowSeconds: 60 });
    expect(denied.resetSeconds).toBe(1); // one token per second
    now += 1_000;
    expect((await limiter.check('k')).allowed).toBe(true);
    expect((await limiter.check('k')).allowed).toBe(false);
  });

  it('keeps keys apart: one flood never spends another key', async () => {
    const limiter = new TokenBucketLimiter(5, () => 0);
    for (let i = 0; i < 10; i++) await limiter.check('flood');
    expect((await limiter.check('flood')).allowed).toBe(false);
    expect(await limiter.check('quiet')).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('says how long until the quota is whole again', async () => {
    const limiter = new TokenBucketLimiter(120, () => 0);
    for (let i = 0; i < 60; i++) await limiter.check('k');
    expect((await limiter.check('k')).resetSeconds).toBe(31); // 61 tokens at 2 per second
  });

  it('forgets idle buckets rather than grow without bound', async () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(60, () => now, 100);
    for (let i = 0; i < 1_000; i++) await limiter.check(`address:${i}`);
    now += 60_000;
    await limiter.check('late');
    expect(
      (limiter as unknown as { buckets: Map<string, unknown> }).buckets.size,
    ).toBeLessThanOrEqual(100);
  });
});
