/**
 * `npm run bench`: seeds SQLite with 1,000,000 runs over 1,000 jobs (and 10,000 runs for the
 * scale comparison), starts the production build pinned to core 0, and drives it with autocannon
 * from core 1: 32 connections, DURATION seconds per scenario. Writes bench/results.json and the
 * figures table in docs/performance.md. Benchmark figures, not pass/fail tests.
 *   BENCH_DURATION=10 BENCH_RUNS=1000000 npm run bench
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { queryPlansMarkdown } from './query-plans.js';
import { seed } from './seed.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 1_000_000);
const JOBS = 1000;
const CONNECTIONS = 32;
const DIR = join('bench', 'data');
const PORT = 3900;
const BASE = `http://127.0.0.1:${PORT}`;
const canPin = cpus().length >= 2 && hasTaskset();
/** Every request carries a key, as real clients do: authentication is part of what is measured. */
const BENCH_KEY = 'ct_bench_admin_key_0123456789abcdefghijklmnop';
const AUTH_HEADERS = { authorization: `Bearer ${BENCH_KEY}` };
/**
 * The limiter is on, with a quota the load cannot reach: its cost is measured, not its refusals
 * (the default 1,200/min would turn the run into a benchmark of 429s).
 */
const BENCH_RATE_LIMIT = 1_000_000;

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

type Access = 'key' | 'off';

/** `key`: ADMIN_API_KEY and the limiter on (the default); `off`: AUTH=off, no limiter. */
async function startServer(file: string, access: Access = 'key'): Promise<ChildProcess> {
  const env = {
    ...process.env,
    PORT: String(PORT),
    DATABASE_FILE: file,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    ...(access === 'key'
      ? { ADMIN_API_KEY: BENCH_KEY, AUTH: 'on', RATE_LIMIT_PER_MINUTE: String(BENCH_RATE_LIMIT) }
      : { ADMIN_API_KEY: '', AUTH: 'off', RATE_LIMIT_PER_MINUTE: '0' }),
  };
  const [command, args] = canPin
    ? ['taskset', ['-c', '0', process.execPath, 'dist/functions/node.js']]
    : [process.execPath, ['dist/functions/node.js']];
  const child = spawn(command, args as string[], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  // Never leave a server behind, whatever ends this process.
  process.once('exit', () => child.kill('SIGKILL'));
  for (let i = 0; i < 200; i++) {
    if ((await fetch(`${BASE}/health`).catch(() => null))?.ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface Result {
  scenario: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

async function load(scenario: string, options: Partial<autocannon.Options>): Promise<Result> {
  const result = await autocannon({
    url: BASE,
    connections: CONNECTIONS,
    duration: DURATION,
    ...options,
    headers: { ...AUTH_HEADERS, ...options.headers },
  });
  const row = {
    scenario,
    requestsPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
  console.log(JSON.stringify(row));
  return row;
}

const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

interface Page {
  data: Array<{ id: number }>;
  nextCursor: string | null;
}

async function json(path: string): Promise<Page> {
  const response = await fetch(`${BASE}${path}`, { headers: AUTH_HEADERS });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as Page;
}

/** A cursor deep into a job's history: about `depth` runs in, reached through the API itself. */
async function deepCursor(jobId: number, depth: number): Promise<string | null> {
  let cursor: string | null = null;
  for (let seen = 0; seen < depth; seen += 200) {
    const page: Page = await json(
      `/api/jobs/${jobId}/runs?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    cursor = page.nextCursor;
    if (!cursor) return null;
  }
  return cursor;
}

async function main() {
  // The load generator (this process) stays off the server's core.
  if (canPin) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  mkdirSync(DIR, { recursive: true });
  console.log(`building the production server`);
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });

  const big = join(DIR, `runs-${RUNS}.db`);
  const small = join(DIR, 'runs-10000.db');
  const patchRuns = 4000 * DURATION * 2;
  for (const [file, runs] of [
    [big, RUNS],
    [small, 10_000],
  ] as const) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    const { ms } = seed({ file, jobs: JOBS, runs, runningForPatch: file === big ? patchRuns : 0 });
    console.log(
      `seeded ${runs} runs (+${file === big ? patchRuns : 0} RUNNING) over ${JOBS} jobs in ${(ms / 1000).toFixed(1)} s`,
    );
  }

  const results: Result[] = [];
  const jobIds = Array.from({ length: JOBS }, (_, i) => i + 1);

  // The scale comparison first, on the small database.
  let server = await startServer(small);
  const smallPages = [
    await load('GET /runs?limit=50 (10,000 runs)', { url: `${BASE}/api/runs?limit=50` }),
    await load('GET /runs?status=FAILED&limit=50 (10,000 runs)', {
      url: `${BASE}/api/runs?status=FAILED&limit=50`,
    }),
  ];
  await stopServer(server);

  server = await startServer(big);
  const running: number[] = [];
  for (
    let cursor: string | null = null, pages = 0;
    pages < 1000 && running.length < patchRuns;
    pages++
  ) {
    const page: Page = await json(
      `/api/runs?status=RUNNING&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    running.push(...page.data.map((run) => run.id));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  const deep: Array<[number, string]> = [];
  for (const jobId of jobIds.slice(0, 20)) {
    const cursor = await deepCursor(jobId, 800);
    if (cursor) deep.push([jobId, cursor]);
  }

  results.push(await load('GET /health', { url: `${BASE}/health` }));
  results.push(
    await load('POST /jobs/{id}/runs', {
      method: 'POST',
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({ ...req, path: `/api/jobs/${pick(jobIds)}/runs` }),
        },
      ],
    }),
  );
  let next = 0;
  results.push(
    await load('PATCH /runs/{id} RUNNING→SUCCESS', {
      requests: [
        {
          method: 'PATCH',
          headers: { ...AUTH_HEADERS, 'content-type': 'application/json' },
          body: '{"status":"SUCCESS"}',
          setupRequest: (req) => ({
            ...req,
            path: `/api/runs/${running[next++ % running.length]}`,
          }),
        },
      ],
    }),
  );
  results.push(
    await load('GET /jobs/{id}/runs?limit=50 (first page)', {
      requests: [
        { setupRequest: (req) => ({ ...req, path: `/api/jobs/${pick(jobIds)}/runs?limit=50` }) },
      ],
    }),
  );
  if (deep.length === 0)
    throw new Error('no job has 800 runs: seed more (BENCH_RUNS) for the deep-page scenario');
  results.push(
    await load('GET /jobs/{id}/runs?limit=50 (page ~800 runs deep)', {
      requests: [
        {
          setupRequest: (req) => {
            const [jobId, cursor] = pick(deep);
            return { ...req, path: `/api/jobs/${jobId}/runs?limit=50&cursor=${cursor}` };
          },
        },
      ],
    }),
  );
  results.push(
    await load('GET /runs?status=FAILED&limit=50', {
      url: `${BASE}/api/runs?status=FAILED&limit=50`,
    }),
  );
  results.push(
    await load(`GET /runs?limit=50 (${RUNS.toLocaleString('en')} runs)`, {
      url: `${BASE}/api/runs?limit=50`,
    }),
  );
  results.push(...smallPages);
  // The WAL as the load left it: a clean shutdown checkpoints it away.
  const walFile = `${big}-wal`;
  const walBytesAtEnd = existsSync(walFile) ? statSync(walFile).size : 0;
  await stopServer(server);

  // What access control costs: the same two hot routes again with AUTH=off and no limiter, on the
  // same database, in the same run. Compare with the keyed rows above.
  server = await startServer(big, 'off');
  results.push(
    await load('POST /jobs/{id}/runs (AUTH=off, no limiter)', {
      method: 'POST',
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({ ...req, path: `/api/jobs/${pick(jobIds)}/runs` }),
        },
      ],
    }),
  );
  results.push(
    await load('GET /jobs/{id}/runs?limit=50 (first page, AUTH=off, no limiter)', {
      requests: [
        { setupRequest: (req) => ({ ...req, path: `/api/jobs/${pick(jobIds)}/runs?limit=50` }) },
      ],
    }),
  );
  await stopServer(server);

  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    pinned: canPin ? 'server on core 0, load generator on core 1 (taskset)' : 'not pinned',
  };
  const output = {
    date: new Date().toISOString(),
    machine,
    settings: {
      runs: RUNS,
      jobs: JOBS,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      access: `every request with an admin key (Authorization: Bearer); rate limiter on at ${BENCH_RATE_LIMIT.toLocaleString('en')}/min unless the scenario says AUTH=off`,
    },
    walBytesAtEnd,
    databaseBytes: statSync(big).size,
    results,
  };
  writeFileSync(join('bench', 'results.json'), `${JSON.stringify(output, null, 2)}\n`);
  writePerformanceDoc(output, await queryPlansMarkdown(big));
  console.log('wrote bench/results.json and docs/performance.md');
}

type BenchOutput = {
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; pinned: string };
  settings: {
    runs: number;
    jobs: number;
    connections: number;
    durationSeconds: number;
    access: string;
  };
  walBytesAtEnd: number;
  databaseBytes: number;
  results: Result[];
};

function writePerformanceDoc(output: BenchOutput, plans: string) {
  const file = join('docs', 'performance.md');
  const table = [
    `Measured ${output.date.slice(0, 10)} on ${output.machine.cores} cores (${output.machine.cpu}), ${output.machine.memoryGiB} GiB, Node ${output.machine.node}; ${output.machine.pinned}. ${output.settings.connections} connections, ${output.settings.durationSeconds} s per scenario, ${output.settings.runs.toLocaleString('en')} runs over ${output.settings.jobs} jobs; ${output.settings.access}. WAL at the end: ${(output.walBytesAtEnd / 2 ** 20).toFixed(1)} MiB; database ${(output.databaseBytes / 2 ** 20).toFixed(0)} MiB.`,
    '',
    '| Scenario | req/s | p50 ms | p99 ms | errors | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...output.results.map(
      (r: Result) =>
        `| ${r.scenario} | ${r.requestsPerSec} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${r.non2xx} |`,
    ),
  ].join('\n');
  const doc = readFileSync(file, 'utf8');
  const replace = (text: string, marker: string, body: string) =>
    text.replace(
      new RegExp(`(<!-- ${marker}:start -->)[\\s\\S]*(<!-- ${marker}:end -->)`),
      `$1\n${body}\n$2`,
    );
  writeFileSync(file, replace(replace(doc, 'bench', table), 'plans', plans));
}

await main();
