import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startedServers } from '../../test/support/node-process.js';

/**
 * TRUSTED_PROXIES on the real Node entry: behind a trusted proxy (here the test itself, on
 * loopback) each forwarded client has its own rate-limit bucket; a caller outside the setting
 * cannot leave its bucket by naming another address in X-Forwarded-For or Forwarded.
 */
describe('TRUSTED_PROXIES (Node)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-proxies-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const start = startedServers();
  const serve = (name: string, trustedProxies: string) =>
    start({
      DATABASE_FILE: join(dir, `${name}.db`),
      RATE_LIMIT_PER_MINUTE: '2',
      TRUSTED_PROXIES: trustedProxies,
      SWEEP_INTERVAL_SECONDS: '0',
      WEBHOOK_DISPATCH_INTERVAL_SECONDS: '0',
    });
  /** An anonymous request (401, but counted in its address's bucket first). */
  const anonymous = (baseUrl: string, headers: Record<string, string>) =>
    fetch(`${baseUrl}/api/jobs`, { headers }).then((response) => response.status);

  it('gives each client behind a trusted proxy its own bucket', async () => {
    const { baseUrl } = await serve('trusted', '127.0.0.1, ::1');
    const alice = { 'X-Forwarded-For': '203.0.113.1' };
    expect([await anonymous(baseUrl, alice), await anonymous(baseUrl, alice)]).toEqual([401, 401]);
    expect(await anonymous(baseUrl, alice)).toBe(429);
    // Another client of the same proxy, by either header, is not held back by the first.
    expect(await anonymous(baseUrl, { 'X-Forwarded-For': '203.0.113.2' })).toBe(401);
    expect(await anonymous(baseUrl, { Forwarded: 'for=203.0.113.3' })).toBe(401);
    // The hop the proxy appended is the client, not what the client sent before it.
    expect(await anonymous(baseUrl, { 'X-Forwarded-For': '198.51.100.7, 203.0.113.1' })).toBe(429);
  });

  it('ignores the headers of a caller that is not a trusted proxy', async () => {
    const { baseUrl } = await serve('untrusted', '10.0.0.0/8, fd00::/8');
    const statuses = [];
    for (let i = 1; i <= 4; i++) {
      statuses.push(
        await anonymous(baseUrl, {
          'X-Forwarded-For': `203.0.113.${i}`,
          Forwarded: `for=203.0.113.${i}`,
        }),
      );
    }
    expect(statuses).toEqual([401, 401, 429, 429]);
  });
});
