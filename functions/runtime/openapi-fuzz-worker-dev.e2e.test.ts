import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzServer } from '../../test/fuzz/fuzz.js';
import { FUZZ_SERVER_ENV, startFuzzWorker, type FuzzTarget } from '../../test/fuzz/servers.js';

/**
 * The generated fuzzing of openapi-fuzz.e2e.test.ts under `wrangler dev` (workerd, a local D1),
 * with fewer requests: one wrangler for the file, started once.
 */
describe('generated fuzzing under wrangler dev', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-fuzz-worker-'));
  let worker: FuzzTarget;
  beforeAll(async () => {
    worker = await startFuzzWorker(dir);
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the Worker to the same rules', async () => {
    const report = await fuzzServer({
      baseUrl: worker.baseUrl,
      adminKey: FUZZ_SERVER_ENV.ADMIN_API_KEY,
      runs: 400,
    });
    expect(report.runs).toBeGreaterThanOrEqual(400);
  }, 60_000);
});
