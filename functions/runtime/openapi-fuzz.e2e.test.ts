import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzServer } from '../../test/fuzz/fuzz.js';
import { FUZZ_SERVER_ENV, startFuzzNode, type FuzzTarget } from '../../test/fuzz/servers.js';

/**
 * Generated fuzzing from the served OpenAPI document (test/fuzz/fuzz.ts) against the real Node
 * entry over HTTP: a modest number of requests here, a random seed each time (printed on a
 * failure with the shrunk request as a curl command); `npm run fuzz -- --runs 20000` sends more.
 */
describe('generated fuzzing on Node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-fuzz-'));
  let server: FuzzTarget;
  beforeAll(async () => {
    server = await startFuzzNode(dir);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every drawn request with no 5xx, a known problem or a documented body, and never touches another project', async () => {
    const report = await fuzzServer({
      baseUrl: server.baseUrl,
      adminKey: FUZZ_SERVER_ENV.ADMIN_API_KEY,
      runs: 2000,
    });
    expect(report.runs).toBeGreaterThanOrEqual(2000);
    // The draws reach past validation: most operations answered a 2xx at least once.
    expect(report.succeeded.size).toBeGreaterThan(report.operations / 2);
  }, 60_000);

  it('holds the admin-only routes (keys, projects) to the same rules, with the admin key', async () => {
    const report = await fuzzServer({
      baseUrl: server.baseUrl,
      adminKey: FUZZ_SERVER_ENV.ADMIN_API_KEY,
      runs: 600,
      as: 'admin',
    });
    expect(report.runs).toBeGreaterThanOrEqual(600);
  }, 30_000);
});
