/**
 * `npm run fuzz -- [--runs N] [--seed=S] [--runtime node|worker|both] [--as project|admin|both]`: the generated fuzzing of
 * functions/runtime/openapi-fuzz*.e2e.test.ts (test/fuzz/fuzz.ts), with as many requests as asked,
 * against a Node server started on a temporary database and/or `wrangler dev` on a local D1.
 * A failure prints the shrunk request as a curl command and the seed to replay it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuzzServer, type FuzzReport } from './fuzz.js';
import { FUZZ_SERVER_ENV, startFuzzNode, startFuzzWorker } from './servers.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '2000' },
    seed: { type: 'string' },
    runtime: { type: 'string', default: 'node' },
    as: { type: 'string', default: 'both' },
  },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? undefined : Number(values.seed);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
if (seed !== undefined && !Number.isInteger(seed)) throw new Error('--seed must be an integer');
const runtimes = values.runtime === 'both' ? ['node', 'worker'] : [values.runtime!];
const callers = (values.as === 'both' ? ['project', 'admin'] : [values.as]) as Array<
  'project' | 'admin'
>;

const print = (name: string, report: FuzzReport) =>
  console.log(
    `${name}: ${report.runs} requests in ${(report.ms / 1000).toFixed(1)} s (seed ${report.seed}); ` +
      `statuses ${JSON.stringify(report.statuses)}; ` +
      `${report.succeeded.size} of ${report.operations} operations answered 2xx at least once` +
      (report.neverSucceeded.length ? ` (never: ${report.neverSucceeded.join(', ')})` : ''),
  );

let failed = false;
for (const runtime of runtimes) {
  const dir = mkdtempSync(join(tmpdir(), `chronotrack-fuzz-${runtime}-`));
  const server = runtime === 'worker' ? await startFuzzWorker(dir) : await startFuzzNode(dir);
  try {
    for (const as of callers) {
      const name = `${runtime}, as ${as}`;
      const report = await fuzzServer({
        baseUrl: server.baseUrl,
        adminKey: FUZZ_SERVER_ENV.ADMIN_API_KEY,
        // Most requests as the project's key: it is the one whose limits matter.
        runs: as === 'admin' ? Math.ceil(runs / 4) : runs,
        seed,
        as,
        log: (line) => console.log(`${name}: ${line}`),
      });
      print(name, report);
    }
  } catch (error) {
    failed = true;
    console.error(`${runtime}: ${error instanceof Error ? error.message : String(error)}`);
    console.error(`(the server's log is in ${server.logFile})`);
  } finally {
    await server.stop();
    if (!failed) rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
