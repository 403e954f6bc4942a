/**
 * `npm run bench`: three parts, all benchmark figures rather than pass/fail tests.
 *
 * 1. Side by side (`bench/side-by-side.ts`): ChronoTrack, Express + better-sqlite3, a raw
 *    node:http + better-sqlite3 server and bare Hono + better-sqlite3 on the same 30,000-run
 *    database and routes, alternated.
 * 2. Scale: 1,000,000 runs over 1,000 jobs (and 10,000 runs for the comparison), ChronoTrack alone,
 *    on every list route.
 * 3. Index cost: what each index on job_runs costs a run's life, better-sqlite3 alone.
 *
 * Servers run pinned to core 0, autocannon from core 1, 32 connections, BENCH_DURATION seconds per
 * scenario. Writes bench/results.json and the tables in docs/performance.md.
 *   BENCH_DURATION=10 BENCH_RUNS=1000000 BENCH_ROUNDS=2 npm run bench
 *   BENCH_ONLY=side-by-side npm run bench   (or scale, index-cost: the others' figures are kept)
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AUTH_HEADERS,
  BASE,
  BENCH_KEY,
  CONNECTIONS,
  createRunLoad,
  DURATION,
  finishRunLoad,
  load,
  machine,
  memoryMiB,
  pick,
  pinLoadGenerator,
  replaceSection,
  type Result,
  startServer as startProcess,
  stopServer,
} from './harness.js';
import { queryPlansMarkdown } from './query-plans.js';
import { seed } from './seed.js';
import { indexCostMarkdown, indexCosts, type IndexCost } from './index-cost.js';
import { sideBySide, sideBySideMarkdown, type SideBySide } from './side-by-side.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 1_000_000);
const ONLY = process.env.BENCH_ONLY as 'side-by-side' | 'scale' | 'index-cost' | undefined;
const JOBS = 1000;
const DIR = join('bench', 'data');
/**
 * The limiter is on, with a quota the load cannot reach: its cost is measured, not its refusals
 * (the default 1,200/min would turn the run into a benchmark of 429s).
 */
const BENCH_RATE_LIMIT = 1_000_000;

type Access = 'key' | 'off';

/** `key`: ADMIN_API_KEY and the limiter on (the default); `off`: AUTH=off, no limiter. */
function startServer(file: string, access: Access = 'key'): Promise<ChildProcess> {
  return startProcess(['dist/functions/node.js'], {
    DATABASE_FILE: file,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    ...(access === 'key'
      ? { ADMIN_API_KEY: BENCH_KEY, AUTH: 'on', RATE_LIMIT_PER_MINUTE: String(BENCH_RATE_LIMIT) }
      : { ADMIN_API_KEY: '', AUTH: 'off', RATE_LIMIT_PER_MINUTE: '0' }),
  });
}

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

interface Scale {
  runs: number;
  jobs: number;
  access: string;
  walBytesAtEnd: number;
  databaseBytes: number;
  memoryMiB: { rss: number; peak: number } | null;
  /** The 50-run page at RUNS over the same page at 10,000 runs (req/s): 1 is flat. */
  pageRatio: number;
  results: Result[];
  scrapes?: Scrapes;
}

interface Timings {
  p50Ms: number;
  p90Ms: number;
  maxMs: number;
}

/** `GET /metrics` on the big file (issue 12: under 100 ms with 1,000 jobs over 1,000,000 runs). */
interface Scrapes {
  bytes: number;
  lines: number;
  /** One scrape every 500 ms, as a Prometheus at a short interval would: the case that matters. */
  spaced: Timings;
  /** Scrapes back to back, each as soon as the last answered: the garbage collector's worst case. */
  backToBack: Timings;
}

const SCRAPES = 40;

async function scrapeOnce(): Promise<{ ms: number; text: string }> {
  const start = performance.now();
  // As Prometheus asks: gzip only (fetch's own default would also offer br).
  const response = await fetch(`${BASE}/metrics`, {
    headers: { ...AUTH_HEADERS, 'Accept-Encoding': 'gzip' },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`/metrics: ${response.status}`);
  return { ms: performance.now() - start, text };
}

function timings(ms: number[]): Timings {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.ceil(q * sorted.length) - 1]!.toFixed(1));
  return { p50Ms: at(0.5), p90Ms: at(0.9), maxMs: at(1) };
}

/** Scrapes the running server, spaced and then back to back; the first (a cold JIT) is not counted. */
async function scrapes(): Promise<Scrapes> {
  const { text } = await scrapeOnce();
  const spaced: number[] = [];
  for (let i = 0; i < SCRAPES; i++) {
    spaced.push((await scrapeOnce()).ms);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const backToBack: number[] = [];
  for (let i = 0; i < SCRAPES; i++) backToBack.push((await scrapeOnce()).ms);
  return {
    bytes: Buffer.byteLength(text),
    lines: text.split('\n').filter((line) => line && !line.startsWith('#')).length,
    spaced: timings(spaced),
    backToBack: timings(backToBack),
  };
}

/** ChronoTrack alone at 1,000,000 runs: every list route, deep pages, and the 10,000-run baseline. */
async function scale(): Promise<{ scale: Scale; plans: string }> {
  const big = join(DIR, `runs-${RUNS}.db`);
  const small = join(DIR, 'runs-10000.db');
  const patchRuns = 15_000 * DURATION;
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
  results.push(await load('POST /jobs/{id}/runs', createRunLoad(jobIds)));
  const finishes = finishRunLoad(running);
  results.push(await load('PATCH /runs/{id} RUNNING→SUCCESS', finishes.options));
  results.push(
    await load('GET /jobs/{id}/runs?limit=50 (first page)', {
      requests: [
        { setupRequest: (req) => ({ ...req, path: `/api/jobs/${pick(jobIds)}/runs?limit=50` }) },
      ],
    }),
  );
  // What a polling dashboard or `--watch` client costs once it has the page: its ETag sent back
  // as If-None-Match, nothing written meanwhile, so every answer is a 304 (counted as non-2xx).
  const tags = new Map<number, string>();
  for (const jobId of jobIds) {
    const response = await fetch(`${BASE}/api/jobs/${jobId}/runs?limit=50`, {
      headers: AUTH_HEADERS,
    });
    await response.arrayBuffer();
    tags.set(jobId, response.headers.get('ETag') ?? '');
  }
  results.push(
    await load('GET /jobs/{id}/runs?limit=50 (If-None-Match: 304)', {
      requests: [
        {
          setupRequest: (req) => {
            const jobId = pick(jobIds);
            return {
              ...req,
              path: `/api/jobs/${jobId}/runs?limit=50`,
              headers: { ...req.headers, 'if-none-match': tags.get(jobId)! },
            };
          },
        },
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
  const scraped = await scrapes();
  console.log(JSON.stringify({ scrapes: scraped }));
  // The WAL as the load left it: a clean shutdown checkpoints it away.
  const walFile = `${big}-wal`;
  const walBytesAtEnd = existsSync(walFile) ? statSync(walFile).size : 0;
  const memory = memoryMiB(server.pid);
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

  const rate = (name: string) => results.find((r) => r.scenario === name)?.requestsPerSec ?? 0;
  const pageRatio =
    rate('GET /runs?limit=50 (10,000 runs)') /
    rate(`GET /runs?limit=50 (${RUNS.toLocaleString('en')} runs)`);
  return {
    scale: {
      runs: RUNS,
      jobs: JOBS,
      access: `every request with an admin key (Authorization: Bearer); rate limiter on at ${BENCH_RATE_LIMIT.toLocaleString('en')}/min unless the scenario says AUTH=off; LOG_LEVEL=info`,
      walBytesAtEnd,
      databaseBytes: statSync(big).size,
      memoryMiB: memory,
      pageRatio: Number(pageRatio.toFixed(2)),
      results,
      scrapes: scraped,
    },
    plans: await queryPlansMarkdown(big),
  };
}

interface BenchOutput {
  date: string;
  machine: ReturnType<typeof machine>;
  connections: number;
  durationSeconds: number;
  sideBySide?: SideBySide;
  scale?: Scale;
  indexCosts?: IndexCost[];
}

function scaleMarkdown(output: BenchOutput, scale: Scale): string {
  return [
    `${scale.runs.toLocaleString('en')} runs over ${scale.jobs} jobs; ${scale.access}. WAL at the end: ${(scale.walBytesAtEnd / 2 ** 20).toFixed(1)} MiB; database ${(scale.databaseBytes / 2 ** 20).toFixed(0)} MiB; server RSS ${scale.memoryMiB?.rss ?? '?'} MiB (peak ${scale.memoryMiB?.peak ?? '?'} MiB). \`GET /runs?limit=50\` at ${scale.runs.toLocaleString('en')} runs takes ${scale.pageRatio}× the time it takes at 10,000 (target: at most 1.2×).`,
    '',
    '| Scenario | req/s | p50 ms | p99 ms | errors | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...scale.results.map(
      (r) =>
        `| ${r.scenario} | ${r.requestsPerSec} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${r.non2xx} |`,
    ),
    ...(scale.scrapes ? ['', scrapesMarkdown(scale)] : []),
  ].join('\n');
}

function scrapesMarkdown(scale: Scale): string {
  const s = scale.scrapes!;
  const t = (x: Timings) => `p50 ${x.p50Ms} ms, p90 ${x.p90Ms} ms, max ${x.maxMs} ms`;
  return `\`GET /metrics\` over HTTP with a read key and \`Accept-Encoding: gzip\` (as Prometheus asks), ${scale.jobs.toLocaleString('en')} jobs over ${scale.runs.toLocaleString('en')} runs (${(s.bytes / 2 ** 20).toFixed(1)} MiB, ${s.lines.toLocaleString('en')} samples), ${SCRAPES} scrapes each (target: under 100 ms): one every 500 ms ${t(s.spaced)}; back to back ${t(s.backToBack)}.`;
}

async function main() {
  pinLoadGenerator();
  mkdirSync(DIR, { recursive: true });
  console.log(`building the production server`);
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });

  const resultsFile = join('bench', 'results.json');
  const previous = existsSync(resultsFile)
    ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Partial<BenchOutput>)
    : {};
  const output: BenchOutput = {
    date: new Date().toISOString(),
    machine: machine(),
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    // A partial run keeps the other part's figures from the previous run.
    sideBySide: previous.sideBySide,
    scale: previous.scale,
    indexCosts: previous.indexCosts,
  };
  let plans: string | undefined;
  const runs = (part: NonNullable<typeof ONLY>) => ONLY === undefined || ONLY === part;
  if (runs('side-by-side')) output.sideBySide = await sideBySide(DIR);
  if (runs('scale')) ({ scale: output.scale, plans } = await scale());
  if (runs('index-cost')) output.indexCosts = indexCosts(DIR);
  writeFileSync(resultsFile, `${JSON.stringify(output, null, 2)}\n`);

  const file = join('docs', 'performance.md');
  const measured = `Measured ${output.date.slice(0, 10)} on ${output.machine.cores} cores (${output.machine.cpu}), ${output.machine.memoryGiB} GiB, Node ${output.machine.node}; ${output.machine.pinned}; ${output.connections} connections, ${output.durationSeconds} s per scenario.`;
  let doc = readFileSync(file, 'utf8');
  if (output.sideBySide && runs('side-by-side'))
    doc = replaceSection(
      doc,
      'side-by-side',
      `${measured}\n\n${sideBySideMarkdown(output.sideBySide)}`,
    );
  if (output.scale && runs('scale'))
    doc = replaceSection(doc, 'bench', `${measured}\n\n${scaleMarkdown(output, output.scale)}`);
  if (output.indexCosts && runs('index-cost'))
    doc = replaceSection(
      doc,
      'index-cost',
      `Measured ${output.date.slice(0, 10)} on ${output.machine.cores} cores (${output.machine.cpu}), Node ${output.machine.node}, in the bench process.\n\n${indexCostMarkdown(output.indexCosts)}`,
    );
  if (plans) doc = replaceSection(doc, 'plans', plans);
  writeFileSync(file, doc);
  console.log('wrote bench/results.json and docs/performance.md');
}

await main();
