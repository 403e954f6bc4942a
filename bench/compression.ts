/**
 * What compressing answers costs and saves (issue 26, lever 7), in process (`app.request`, no
 * network), on 100 jobs over 30,000 runs (the side-by-side file's shape):
 *
 * 1. the codecs alone on the real bodies (a 100-job summaries page, a 50-run page, a 20-job list,
 *    /health, /metrics): bytes out and CPU per call and per KB, synchronous zlib, median of
 *    BENCH_CODEC_CALLS;
 * 2. whole requests through the production wiring with no compression, with
 *    functions/runtime/node-compression.ts at two levels and with `hono/compress`, a browser's
 *    Accept-Encoding (`gzip, deflate, br, zstd`; Prometheus' `gzip` for /metrics), the body read
 *    to its end; alternated round by round, CPU time per request (process.cpuUsage);
 * 3. the first 256 B to 16 KB of the summaries page through each codec: where compressing starts
 *    to pay.
 *
 *   npx tsx bench/compression.ts          (BENCH_ROUNDS, default 5; BENCH_REQUESTS, default 200)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import type { AppEnv } from '../functions/http/env.js';
import { compression } from '../functions/runtime/node-compression.js';
import { nodeHashSecret } from '../functions/runtime/node-hash.js';
import { createRuntime } from '../functions/runtime/runtime.js';
import { AccessConfigSchema, parseWith } from '../shared/config.js';
import { createJsonLogger } from '../shared/logger.js';
import { machine } from './harness.js';
import { seed } from './seed.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const CODEC_CALLS = Number(process.env.BENCH_CODEC_CALLS ?? 40);
const KEY = 'ct_bench_admin_key_0123456789abcdefghijklmnop';
const BROWSER = 'gzip, deflate, br, zstd';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU µs of one call of `op`: the median over `calls`. */
function cpuMicros(op: () => unknown, calls = CODEC_CALLS): number {
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = process.cpuUsage();
    op();
    const used = process.cpuUsage(start);
    samples.push(used.user + used.system);
  }
  return median(samples);
}

const CODECS: Record<string, (body: Uint8Array) => Buffer> = {
  'gzip 1': (b) => gzipSync(b, { level: 1 }),
  'gzip 6': (b) => gzipSync(b, { level: 6 }),
  'br 1': (b) => brotli(b, 1),
  'br 4': (b) => brotli(b, 4),
  'br 5': (b) => brotli(b, 5),
  'br 11': (b) => brotli(b, 11),
};

function brotli(body: Uint8Array, quality: number) {
  return brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-compression-'));
  const file = join(dir, 'bench.db');
  seed({ file, jobs: 100, runs: 30_000, runningForPatch: 0 });
  const database = openBetterSqlite(file);
  const appWith = (middleware?: MiddlewareHandler<AppEnv>) =>
    createRuntime(database, parseWith(AccessConfigSchema, { ADMIN_API_KEY: KEY }), {
      logger: createJsonLogger({ silent: true }),
      hashSecret: nodeHashSecret,
      rateLimiter: undefined,
      clientAddress: () => 'bench',
      dispatchAfterWrites: false,
      compression: middleware,
    }).app;
  const apps = {
    none: appWith(),
    'br 4 / gzip 6': appWith(compression({ brotliQuality: 4, gzipLevel: 6 })),
    'br 1 / gzip 1': appWith(compression({ brotliQuality: 1, gzipLevel: 1 })),
    'hono/compress (gzip)': appWith(compress()),
  };
  const routes = {
    'summaries, 100 jobs': '/api/jobs/summaries?limit=100',
    '50-run page': '/api/jobs/1/runs?limit=50',
    'job list, 20': '/api/jobs?limit=20',
    '/health': '/health',
    '/metrics, 100 jobs': '/metrics',
  };
  const get = (app: (typeof apps)['none'], path: string, encoding?: string) =>
    app.request(path, {
      headers: { Authorization: `Bearer ${KEY}`, ...(encoding && { 'Accept-Encoding': encoding }) },
    });

  // 1. The codecs on the real bodies.
  const codecs: Record<
    string,
    Record<string, { bytes: number; cpuUs: number; usPerKB: number }>
  > = {};
  for (const [name, path] of Object.entries(routes)) {
    const body = new Uint8Array(await (await get(apps.none, path)).arrayBuffer());
    codecs[name] = { identity: { bytes: body.byteLength, cpuUs: 0, usPerKB: 0 } };
    for (const [codec, run] of Object.entries(CODECS)) {
      const cpuUs = cpuMicros(() => run(body), codec === 'br 11' ? 10 : CODEC_CALLS);
      codecs[name][codec] = {
        bytes: run(body).byteLength,
        cpuUs,
        usPerKB: Number((cpuUs / (body.byteLength / 1024)).toFixed(1)),
      };
    }
  }

  // 2. Whole requests, alternated.
  const perRequest: Record<string, Record<string, number[]>> = {};
  const wire: Record<string, Record<string, { bytes: number; encoding: string | null }>> = {};
  for (const [route, path] of Object.entries(routes)) {
    perRequest[route] = {};
    wire[route] = {};
    for (const [mode, app] of Object.entries(apps)) {
      const res = await get(app, path, route.startsWith('/metrics') ? 'gzip' : BROWSER);
      wire[route][mode] = {
        bytes: (await res.arrayBuffer()).byteLength,
        encoding: res.headers.get('Content-Encoding'),
      };
      perRequest[route][mode] = [];
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [route, path] of Object.entries(routes)) {
      for (const [mode, app] of Object.entries(apps)) {
        const requests = route.startsWith('summaries') ? REQUESTS / 10 : REQUESTS;
        const encoding = route.startsWith('/metrics') ? 'gzip' : BROWSER;
        const start = process.cpuUsage();
        for (let i = 0; i < requests; i++) await (await get(app, path, encoding)).arrayBuffer();
        const used = process.cpuUsage(start);
        perRequest[route]![mode]!.push((used.user + used.system) / requests);
      }
    }
  }
  const requestsTable = Object.fromEntries(
    Object.entries(perRequest).map(([route, modes]) => [
      route,
      Object.fromEntries(
        Object.entries(modes).map(([mode, samples]) => [
          mode,
          { cpuUsMedian: Math.round(median(samples)), ...wire[route]![mode] },
        ]),
      ),
    ]),
  );

  // 3. Where it starts to pay: the start of the summaries page, 256 B to 16 KB of it.
  const page = await (await get(apps.none, '/api/jobs/summaries?limit=100')).text();
  const small: Record<string, Record<string, { bytes: number; cpuUs: number }>> = {};
  for (const size of [256, 512, 1024, 2048, 4096, 16384]) {
    const body = new TextEncoder().encode(page.slice(0, size));
    small[size] = { identity: { bytes: body.byteLength, cpuUs: 0 } };
    for (const codec of ['gzip 1', 'gzip 6', 'br 1', 'br 4']) {
      const fn = CODECS[codec]!;
      small[size][codec] = { bytes: fn(body).byteLength, cpuUs: cpuMicros(() => fn(body), 200) };
    }
  }

  await database.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify(
      {
        machine: { ...machine(), pinned: undefined },
        loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
        rounds: ROUNDS,
        codecs,
        requests: requestsTable,
        small,
      },
      null,
      2,
    ),
  );
}

await main();
