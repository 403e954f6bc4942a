/**
 * `GET /metrics` at 1,000 jobs over 1,000,000 runs, over HTTP: the server started from source
 * (`node --import tsx functions/runtime/node.ts`, the production wiring with Node's process
 * metrics) on a seeded file, pinned to core 0, this process on core 1. Scrapes back to back (the
 * garbage collector's worst case) and one every 200 ms, asking for the identity body and as
 * Prometheus asks (`Accept-Encoding: gzip`); prints the median, p90 and max wall time and the
 * server's CPU time per scrape (/proc/<pid>/stat: the figure that holds up on a shared machine).
 * Sweeps are off, so the server does nothing but answer. The seeded file is kept in bench/data/
 * for the next run (seeding takes a few minutes). `npm run bench` measures the built bundle the
 * same way (without the CPU time), on its own 1,000,000-run file.
 *
 *   npx tsx bench/metrics-scrape.ts        (BENCH_SCRAPES per mode, default 30)
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  AUTH_HEADERS,
  BENCH_KEY,
  machine,
  pinLoadGenerator,
  startServer,
  stopServer,
} from './harness.js';
import { seed } from './seed.js';

const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 30);
const JOBS = 1000;
const RUNS = 1_000_000;
const FILE = join('bench', 'data', `metrics-${JOBS}x${RUNS}.db`);
/** Not the harness's port 3900: other people's benches on this shared machine use that one. */
const PORT = 3917;
const BASE = `http://127.0.0.1:${PORT}`;

/** The process's user + system CPU time so far, in ms (Linux: clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const quantile = (sorted: number[], q: number) =>
  Number(sorted[Math.ceil(q * sorted.length) - 1]!.toFixed(1));

async function main() {
  mkdirSync(join('bench', 'data'), { recursive: true });
  if (!existsSync(FILE)) {
    console.log(`seeding ${FILE}: ${JOBS} jobs, ${RUNS.toLocaleString('en')} runs`);
    const { ms } = seed({ file: FILE, jobs: JOBS, runs: RUNS, runningForPatch: 0 });
    console.log(`seeded in ${(ms / 1000).toFixed(0)} s`);
  }
  pinLoadGenerator();
  const server = await startServer(
    ['--import', 'tsx', 'functions/runtime/node.ts'],
    {
      DATABASE_FILE: FILE,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      ADMIN_API_KEY: BENCH_KEY,
      RATE_LIMIT_PER_MINUTE: '1000000',
      SWEEP_INTERVAL_SECONDS: '0',
      WEBHOOK_DISPATCH_INTERVAL_SECONDS: '0',
    },
    PORT,
  );
  const pid = server.pid!;
  const get = (encoding: string) =>
    fetch(`${BASE}/metrics`, { headers: { ...AUTH_HEADERS, 'Accept-Encoding': encoding } });
  const scrape = async (encoding: string) => {
    // A socket found closed (seen once, while another bench shared port 3900) is asked again.
    const res = await get(encoding).catch(() => get(encoding));
    const body = await res.text();
    if (!res.ok) throw new Error(`/metrics: ${res.status}`);
    return {
      body,
      encoding: res.headers.get('Content-Encoding'),
      length: res.headers.get('Content-Length'),
    };
  };
  const measure = async (encoding: string, pauseMs: number) => {
    const ms: number[] = [];
    const startCpu = cpuMs(pid);
    for (let i = 0; i < SCRAPES; i++) {
      const start = performance.now();
      await scrape(encoding);
      ms.push(performance.now() - start);
      if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    ms.sort((a, b) => a - b);
    return {
      p50Ms: quantile(ms, 0.5),
      p90Ms: quantile(ms, 0.9),
      maxMs: quantile(ms, 1),
      serverCpuMsPerScrape: Number(((cpuMs(pid) - startCpu) / SCRAPES).toFixed(1)),
    };
  };

  const results: Record<string, unknown> = {};
  for (const encoding of ['identity', 'gzip']) {
    const first = await scrape(encoding);
    for (let i = 0; i < 5; i++) await scrape(encoding);
    results[encoding] = {
      bytes: Buffer.byteLength(first.body),
      lines: first.body.split('\n').length - 1,
      contentEncoding: first.encoding,
      bytesOnTheWire: first.length === null ? null : Number(first.length),
      backToBack: await measure(encoding, 0),
      spaced: await measure(encoding, 200),
    };
  }
  await stopServer(server);
  console.log(
    JSON.stringify(
      {
        machine: machine(),
        loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
        jobs: JOBS,
        runs: RUNS,
        scrapes: SCRAPES,
        ...results,
      },
      null,
      2,
    ),
  );
}

await main();
