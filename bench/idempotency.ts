/**
 * What an Idempotency-Key costs, in process (`app.request`, no network): POST /api/jobs/{id}/runs
 * without the header, with a new key each time, and replayed, on better-sqlite3 (group commit) and
 * a libSQL file. Alternates the modes round by round so drift on a shared machine touches all
 * alike, and counts the writes each request made (group-commit writes on better-sqlite3). The CPU
 * time per request (process.cpuUsage, the whole process: app, Drizzle and SQLite) is the figure
 * that holds up on a shared machine; wall times and requests per second move with its load.
 *
 *   npx tsx bench/idempotency.ts            (BENCH_REQUESTS per mode and round, default 2000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import type { Database } from '../db/database.js';
import { openLibsql } from '../db/libsql.js';
import { nodeHashSecret } from '../functions/runtime/node-hash.js';
import { createRuntime } from '../functions/runtime/runtime.js';
import { AccessConfigSchema, parseWith } from '../shared/config.js';
import { createJsonLogger } from '../shared/logger.js';
import { machine } from './harness.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 32;
const KEY = 'ct_bench_admin_key_0123456789abcdefghijklmnop';
const MODES = ['no header', 'new key', 'replay'] as const;
type Mode = (typeof MODES)[number];

/** The production wiring, without a limiter (its refusals are not what is measured). */
function appOver(database: Database) {
  return createRuntime(database, parseWith(AccessConfigSchema, { ADMIN_API_KEY: KEY }), {
    logger: createJsonLogger({ silent: true }),
    hashSecret: nodeHashSecret,
    rateLimiter: undefined,
    clientAddress: () => 'bench',
    dispatchAfterWrites: false,
  }).app;
}

async function bench(name: string, database: Database, writes: () => number) {
  const app = appOver(database);
  const post = (path: string, key?: string) =>
    app.request(path, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${KEY}`,
        'Content-Type': 'application/json',
        ...(key && { 'Idempotency-Key': key }),
      },
      body: '{"status":"RUNNING","metadata":{"host":"bench"}}',
    });
  const job = (await (
    await app.request('/api/jobs', {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: '{"name":"bench"}',
    })
  ).json()) as { id: number };
  const path = `/api/jobs/${job.id}/runs`;
  const replayKey = 'bench-replayed';
  await post(path, replayKey);
  let counter = 0;
  const keyFor = (mode: Mode) =>
    mode === 'no header' ? undefined : mode === 'replay' ? replayKey : `bench-${counter++}`;

  const sequential: Record<Mode, number[]> = { 'no header': [], 'new key': [], replay: [] };
  const cpu: Record<Mode, number[]> = { 'no header': [], 'new key': [], replay: [] };
  const concurrent: Record<Mode, number[]> = { 'no header': [], 'new key': [], replay: [] };
  const writesPerRequest: Record<Mode, number> = { 'no header': 0, 'new key': 0, replay: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of MODES) {
      const before = writes();
      const start = performance.now();
      const startCpu = process.cpuUsage();
      for (let i = 0; i < REQUESTS; i++) {
        const res = await post(path, keyFor(mode));
        if (res.status !== 201) throw new Error(`${mode}: ${res.status} ${await res.text()}`);
      }
      const used = process.cpuUsage(startCpu);
      cpu[mode].push((used.user + used.system) / REQUESTS);
      sequential[mode].push(((performance.now() - start) * 1000) / REQUESTS);
      writesPerRequest[mode] = (writes() - before) / REQUESTS;

      const startConcurrent = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next++ < REQUESTS) await post(path, keyFor(mode));
        }),
      );
      concurrent[mode].push(REQUESTS / ((performance.now() - startConcurrent) / 1000));
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const rows = MODES.map((mode) => ({
    driver: name,
    mode,
    'CPU µs per request': Math.round(median(cpu[mode])),
    'µs per request (sequential)': Math.round(median(sequential[mode])),
    [`requests/s (${CONCURRENCY} in flight)`]: Math.round(median(concurrent[mode])),
    'writes per request': Number.isNaN(writesPerRequest[mode]) ? '-' : writesPerRequest[mode],
  }));
  console.table(rows);
}

const dir = mkdtempSync(join(tmpdir(), 'chronotrack-bench-idem-'));
try {
  console.log(machine(), { requests: REQUESTS, rounds: ROUNDS });
  let commits = 0;
  const sqlite = openBetterSqlite(join(dir, 'bench.db'), {
    groupCommit: { onCommit: (writes) => (commits += writes) },
  });
  await bench('better-sqlite3', sqlite, () => commits);
  await sqlite.close();
  const libsql = await openLibsql({ url: `file:${join(dir, 'libsql.db')}` });
  await bench('libsql file', libsql, () => NaN);
  await libsql.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
