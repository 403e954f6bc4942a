/**
 * What the webhook pass after a write costs when no webhook exists: CPU µs per `POST
 * /api/jobs/{id}/runs` through the whole app in process (app.request, 32 in flight, a real
 * better-sqlite3 file with group commit), with and without `afterWrite`, alternated; and the
 * probe alone (`hasDue`: one read on the partial index of pending deliveries).
 *   npx tsx bench/dispatch-after-writes.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import { createJsonLogger } from '../shared/logger.js';
import { createRuntime } from '../functions/runtime/runtime.js';
import { AccessConfigSchema, parseWith } from '../shared/config.js';

const REQUESTS = 4_000;
const CONCURRENCY = 32;
const ROUNDS = 5;
const PROBES = 20_000;

const dir = mkdtempSync(join(tmpdir(), 'chronotrack-dispatch-cost-'));
const database = openBetterSqlite(join(dir, 'bench.db'));
const KEY = 'ct_bench_admin_key_0123456789abcdefghijklmnop';
const config = parseWith(AccessConfigSchema, { ADMIN_API_KEY: KEY });
/** The production wiring, without a limiter (its refusals are not what is measured). */
const runtime = (dispatchAfterWrites: boolean) =>
  createRuntime(database, config, {
    logger: createJsonLogger({ silent: true }),
    rateLimiter: undefined,
    clientAddress: () => 'bench',
    dispatchAfterWrites,
  });
const plain = runtime(false).app;
const withTrigger = runtime(true);
const trigger = withTrigger.trigger!;
let passes = 0;
const kick = trigger.kick.bind(trigger);
trigger.kick = () => {
  const pass = kick();
  if (pass) passes++;
  return pass;
};
// Counted on the way through: how many probes the passes made for all those writes.
let probes = 0;
const repository = withTrigger.stores.webhooks;
const hasDue = repository.hasDue.bind(repository);
repository.hasDue = (now) => {
  probes++;
  return hasDue(now);
};
const kicking = withTrigger.app;
const headers = { Authorization: `Bearer ${KEY}` };
const job = (await (
  await plain.request('/api/jobs', {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: '{"name":"bench"}',
  })
).json()) as { id: number };

async function perRequest(app: typeof plain): Promise<number> {
  const began = process.cpuUsage();
  for (let i = 0; i < REQUESTS; i += CONCURRENCY)
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const res = await app.request(`/api/jobs/${job.id}/runs`, { method: 'POST', headers });
        if (res.status !== 201) throw new Error(`POST run answered ${res.status}`);
      }),
    );
  await trigger.idle();
  const used = process.cpuUsage(began);
  return (used.user + used.system) / REQUESTS;
}

const without: number[] = [];
const withPass: number[] = [];
await perRequest(plain); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  without.push(await perRequest(plain));
  withPass.push(await perRequest(kicking));
}
const probesAfterWrites = probes;
const probeBegan = process.cpuUsage();
for (let i = 0; i < PROBES; i++) await hasDue(new Date());
const probe = process.cpuUsage(probeBegan);
const perProbe = (probe.user + probe.system) / PROBES;

const best = (figures: number[]) => Math.min(...figures);
const median = (figures: number[]) => [...figures].sort((a, b) => a - b)[figures.length >> 1]!;
console.log(
  JSON.stringify(
    {
      requests: REQUESTS,
      rounds: ROUNDS,
      cpuMicrosPerPostRun: {
        without: { best: best(without), median: median(without) },
        withPassAfterWrites: { best: best(withPass), median: median(withPass) },
      },
      requestsWithPass: REQUESTS * ROUNDS,
      passesStarted: passes,
      probes: probesAfterWrites,
      cpuMicrosPerProbe: perProbe,
      // What the probes cost each write, the part that is not noise on a busy machine.
      probeCpuMicrosPerWrite: (probesAfterWrites * perProbe) / (REQUESTS * ROUNDS),
    },
    null,
    2,
  ),
);
await database.close();
rmSync(dir, { recursive: true, force: true });
