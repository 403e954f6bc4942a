/**
 * `npm run soak`: a real Node server on a fresh file under a moderate mixed load for a while
 * (10 minutes by default), sampled every 10 s, with a verdict against issue 25's goals. Exits 1
 * when a goal is missed, so a CI job can run it.
 *
 *   npm run soak -- --minutes 1 --rate 100 --viewers 5
 *   npm run soak -- --accept-encoding identity   # every answer uncompressed
 *
 * The server is the built bundle (dist/functions/node.js) when present, else the source through
 * tsx, pinned to core 0 (the driver on core 1), with a webhook to a loopback receiver. Every
 * sample: the server's RSS (/proc), V8 heap used and event-loop p99 (its /metrics), the client's
 * p99 over the interval, the WAL's size. Writes bench/soak-results/<time>.{json,csv,svg} and
 * docs/images/soak.svg (`--svg` elsewhere). docs/performance.md#soak says what it drives and why.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { startReceiver } from '../test/support/webhook-receiver.js';
import {
  BENCH_KEY,
  machine,
  memoryMiB,
  pinLoadGenerator,
  startServer,
  stopServer,
} from './harness.js';
import { nominalRate, shapeFor, SoakLoad, type Fixtures } from './soak/driver.js';
import { soakSvg } from './soak/svg.js';
import { DEFAULT_GOALS, verdict, type Sample } from './soak/verdict.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    viewers: { type: 'string', default: '10' },
    'sample-seconds': { type: 'string', default: '10' },
    svg: { type: 'string', default: join('docs', 'images', 'soak.svg') },
    /** Every request's Accept-Encoding (fetch's own, which asks for br, when not given). */
    'accept-encoding': { type: 'string' },
    /** Draws the plot again from a results file (after a change to the plot), without a soak. */
    render: { type: 'string' },
  },
});
const MINUTES = Number(args.minutes);
const SAMPLE_MS = Number(args['sample-seconds']) * 1000;
const SHAPE = shapeFor(Number(args.rate), Number(args.viewers));
const RESULTS = join('bench', 'soak-results');
const JOBS = 50;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

async function call(base: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

/** 50 ping jobs on a schedule, 50 CLI jobs whose runs the lost-run sweep watches, a webhook. */
async function fixtures(base: string, hookUrl: string): Promise<Fixtures> {
  const pings = [];
  const cli = [];
  for (let i = 1; i <= JOBS; i++) {
    pings.push(
      await call(base, 'POST', '/api/jobs', { name: `soak ping ${i}`, schedule: 'every 1m' }),
    );
    cli.push(
      await call(base, 'POST', '/api/jobs', {
        name: `soak cli ${i}`,
        key: `soak-cli-${i}`,
        heartbeatTimeoutSeconds: 20,
      }),
    );
  }
  await call(base, 'POST', '/api/webhooks', {
    url: hookUrl,
    events: ['run.failed', 'job.down', 'job.up'],
  });
  return {
    pingUuids: pings.map((job) => job.pingUuid as string),
    cliKeys: cli.map((job) => job.key as string),
    jobIds: [...pings, ...cli].map((job) => job.id as number),
  };
}

/** The server's heap used and event-loop p99 from its /metrics (the p99 resets at each scrape). */
async function scrape(base: string): Promise<{ heapUsedMiB: number; loopP99Ms: number }> {
  // A stalled server must not stall the sampler: a missed scrape is a gap (NaN), not a late sample.
  const text = await fetch(`${base}/metrics`, {
    headers: { authorization: `Bearer ${BENCH_KEY}` },
    signal: AbortSignal.timeout(SAMPLE_MS / 2),
  })
    .then((response) => response.text())
    .catch(() => '');
  const value = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    heapUsedMiB: value('nodejs_heap_size_used_bytes') / 2 ** 20,
    loopP99Ms: value('nodejs_eventloop_lag_p99_seconds') * 1000,
  };
}

const fileMiB = (file: string) => (existsSync(file) ? statSync(file).size / 2 ** 20 : 0);
const clock = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;

function csv(samples: Sample[]): string {
  const columns = Object.keys(samples[0]!) as Array<keyof Sample>;
  return (
    [columns.join(','), ...samples.map((s) => columns.map((c) => s[c]).join(','))].join('\n') + '\n'
  );
}

async function main(): Promise<number> {
  pinLoadGenerator();
  mkdirSync(RESULTS, { recursive: true });
  mkdirSync(join('bench', 'data'), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const file = join('bench', 'data', `soak-${stamp}.db`);
  const wal = `${file}-wal`;
  const built = existsSync('dist/functions/node.js');
  const entry = built
    ? ['dist/functions/node.js']
    : ['--import', 'tsx', 'functions/runtime/node.ts'];
  if (spawnSync('sh', ['-c', 'command -v k6'], { stdio: 'ignore' }).status === 0)
    console.log(
      'k6 is installed; the soak still uses its own driver, which it samples every interval',
    );

  const receiver = await startReceiver();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(
    entry,
    {
      DATABASE_FILE: file,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      ADMIN_API_KEY: BENCH_KEY,
      RATE_LIMIT_PER_MINUTE: '1000000',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    },
    port,
  );
  const load = new SoakLoad(
    base,
    BENCH_KEY,
    await fixtures(base, receiver.url),
    SHAPE,
    args['accept-encoding'],
  );
  const load1 = loadavg()[0]!.toFixed(1);
  console.log(
    `soak: ${MINUTES} min, ~${Math.round(nominalRate(SHAPE))} req/s (${SHAPE.pingsPerSecond.toFixed(0)} ping executions/s, ${SHAPE.cliRunsPerSecond.toFixed(0)} CLI runs/s, ${SHAPE.pagesPerSecond.toFixed(0)} pages/s, ${SHAPE.viewers} viewers polling every 2 s), server ${entry.at(-1)} (pid ${server.pid}), ${file}, load average ${load1}`,
  );

  const samples: Sample[] = [];
  await scrape(base); // resets the event-loop histogram: the first sample covers its own 10 s
  load.start();
  const started = performance.now();
  let hooksSeen = 0;
  for (let n = 1; n * SAMPLE_MS <= MINUTES * 60_000; n++) {
    await sleep(Math.max(0, started + n * SAMPLE_MS - performance.now()));
    if (server.exitCode !== null) break;
    const window = load.window();
    const metrics = await scrape(base);
    const hooks = receiver.received.length - hooksSeen;
    hooksSeen = receiver.received.length;
    const sample: Sample = {
      t: Math.round((performance.now() - started) / 1000),
      rssMiB: memoryMiB(server.pid)?.rss ?? NaN,
      heapUsedMiB: Number(metrics.heapUsedMiB.toFixed(1)),
      loopP99Ms: Number(metrics.loopP99Ms.toFixed(1)),
      p50Ms: Number(window.p50Ms.toFixed(1)),
      p99Ms: Number(window.p99Ms.toFixed(1)),
      requests: window.requests,
      errors: window.errors,
      rejected: window.rejected,
      skipped: window.skipped,
      walMiB: Number(fileMiB(wal).toFixed(2)),
      hooks,
      loadAverage: loadavg()[0]!,
    };
    samples.push(sample);
    console.log(
      `${clock(sample.t).padStart(5)}  rss ${sample.rssMiB} MiB  heap ${sample.heapUsedMiB} MiB  loop p99 ${sample.loopP99Ms} ms  p99 ${sample.p99Ms} ms (p50 ${sample.p50Ms})  ${Math.round((sample.requests * 1000) / SAMPLE_MS)} req/s  errors ${sample.errors}${window.lastError ? ` (${window.lastError})` : ''}  4xx ${sample.rejected}  skipped ${sample.skipped}  WAL ${sample.walMiB} MiB  hooks ${hooks}  load ${sample.loadAverage.toFixed(1)}`,
    );
  }
  const crashed = server.exitCode !== null;
  await load.stop();
  const walAtEnd = fileMiB(wal);
  await stopServer(server);
  await receiver.close();
  const sqlite = new BetterSqlite3(file, { readonly: true });
  const runs = sqlite.prepare('SELECT count(*) FROM job_runs').pluck().get() as number;
  sqlite.close();
  const databaseMiB = fileMiB(file);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  if (crashed) {
    console.error(`FAILED: the server exited (code ${server.exitCode}) during the soak`);
    return 1;
  }

  const result = verdict(samples, DEFAULT_GOALS);
  const host = machine();
  const title = `Soak: ${MINUTES} min at ~${Math.round(nominalRate(SHAPE))} req/s, ${
    result.met
      ? 'every goal met'
      : `missed: ${result.checks
          .filter((c) => !c.met)
          .map((c) => c.name)
          .join(', ')}`
  }`;
  const subtitle = `${stamp.slice(0, 10)}, ${host.cores} cores (${host.cpu}), Node ${host.node}, ${built ? 'built bundle' : 'source through tsx'}; load average ${load1} at the start; ${runs.toLocaleString('en')} runs written, ${hooksSeen.toLocaleString('en')} webhook deliveries`;
  const svg = soakSvg(samples, result, { title, subtitle });
  const output = {
    date: new Date().toISOString(),
    machine: { ...host, loadAverageAtStart: Number(load1) },
    server: built ? 'dist/functions/node.js' : 'functions/runtime/node.ts (tsx)',
    minutes: MINUTES,
    sampleSeconds: SAMPLE_MS / 1000,
    shape: SHAPE,
    acceptEncoding: args['accept-encoding'] ?? "fetch's default",
    nominalRequestsPerSecond: Math.round(nominalRate(SHAPE)),
    goals: DEFAULT_GOALS,
    plot: { title, subtitle },
    totals: { runs, webhookDeliveries: hooksSeen, walMiBAtEnd: walAtEnd, databaseMiB },
    verdict: result,
    samples,
  };
  for (const [extension, text] of [
    ['json', `${JSON.stringify(output, null, 2)}\n`],
    ['csv', csv(samples)],
    ['svg', svg],
  ] as const)
    writeFileSync(join(RESULTS, `${stamp}.${extension}`), text);
  writeFileSync(args.svg, svg);

  console.log(`\n${title} (warm-up: the first ${result.warmupSeconds} s)`);
  for (const check of result.checks)
    console.log(`  ${check.met ? 'met   ' : 'MISSED'}  ${check.goal}: ${check.measured}`);
  console.log(
    `  ${runs.toLocaleString('en')} runs in a ${databaseMiB.toFixed(1)} MiB file; ${hooksSeen} webhook deliveries`,
  );
  console.log(`wrote ${join(RESULTS, stamp)}.{json,csv,svg} and ${args.svg}`);
  return result.met ? 0 : 1;
}

/** `--render <results.json>`: the plot of an earlier soak, drawn again. */
function render(resultsFile: string): number {
  const {
    samples,
    verdict: result,
    plot,
  } = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
    samples: Sample[];
    verdict: ReturnType<typeof verdict>;
    plot: { title: string; subtitle: string };
  };
  writeFileSync(args.svg, soakSvg(samples, result, plot));
  console.log(`wrote ${args.svg} from ${resultsFile}`);
  return 0;
}

process.exitCode = args.render ? render(args.render) : await main();
