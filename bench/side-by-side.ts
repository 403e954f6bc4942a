/**
 * ChronoTrack against the same routes written on a raw node:http + better-sqlite3 server (the
 * physical floor of this stack) and on Express + better-sqlite3 (the stack it replaces): same
 * schema, same seeded file (a fresh copy for every start), same load, alternated A B C A B C so
 * that drift on a shared machine touches all three alike. A fourth server is ChronoTrack on a copy
 * whose triggers are dropped (the job_metrics counters of issue 12 and the webhook outbox of issue
 * 14): the same build side by side, so the column between them is what the triggers cost a write.
 * A fifth is bare Hono on @hono/node-server with the baselines' store: the framework's own floor,
 * so that ChronoTrack / Hono is what ChronoTrack's request path costs above the framework it runs on.
 */
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  BASE,
  BENCH_KEY,
  createRunLoad,
  DURATION,
  finishRunLoad,
  load,
  memoryMiB,
  pick,
  type Result,
  startServer,
  stopServer,
} from './harness.js';
import { seed } from './seed.js';

export const SIDE_BY_SIDE_RUNS = 30_000;
const JOBS = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

export type ServerName = 'chronotrack' | 'chronotrackNoTriggers' | 'express' | 'raw' | 'hono';

interface ServerSetup {
  args: string[];
  env: Record<string, string>;
  /** Changes the server's fresh copy of the seeded file before it starts. */
  prepare?: (file: string) => void;
}

// As it ships: key and limiter on (a quota the load cannot reach), access lines at info.
const CHRONOTRACK: ServerSetup = {
  args: ['dist/functions/node.js'],
  env: {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    ADMIN_API_KEY: BENCH_KEY,
    AUTH: 'on',
    RATE_LIMIT_PER_MINUTE: '1000000',
  },
};

/** Drops every trigger: migrations are recorded as applied, so the server does not restore them. */
function dropTriggers(file: string): void {
  const sqlite = new BetterSqlite3(file);
  const triggers = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    .pluck()
    .all() as string[];
  for (const name of triggers) sqlite.exec(`DROP TRIGGER "${name}"`);
  sqlite.close();
}

const SERVERS: Record<ServerName, ServerSetup> = {
  chronotrack: CHRONOTRACK,
  chronotrackNoTriggers: { ...CHRONOTRACK, prepare: dropTriggers },
  express: {
    args: ['--import', 'tsx', 'bench/baselines/express-server.ts'],
    env: { NODE_ENV: 'production', ADMIN_API_KEY: BENCH_KEY },
  },
  raw: {
    args: ['--import', 'tsx', 'bench/baselines/raw-server.ts'],
    env: { NODE_ENV: 'production', ADMIN_API_KEY: BENCH_KEY },
  },
  hono: {
    args: ['--import', 'tsx', 'bench/baselines/hono-server.ts'],
    env: { NODE_ENV: 'production', ADMIN_API_KEY: BENCH_KEY },
  },
};

export const ROUTES = [
  'GET /health',
  'POST /api/jobs/{id}/runs',
  'PATCH /api/runs/{id} → SUCCESS',
  'GET /api/jobs/{id}/runs?limit=50',
] as const;
export type Route = (typeof ROUTES)[number];

export interface ServerRound {
  server: ServerName;
  round: number;
  results: Result[];
  memoryMiB: { rss: number; peak: number } | null;
  walBytes: number;
}

export interface SideBySide {
  runs: number;
  jobs: number;
  rounds: number;
  durationSeconds: number;
  perRound: ServerRound[];
  /** Per route and server: the median over rounds. */
  summary: Array<{ route: Route } & Record<ServerName, Result>>;
}

export async function sideBySide(dir: string): Promise<SideBySide> {
  const template = join(dir, `side-by-side-${SIDE_BY_SIDE_RUNS}.db`);
  const patchRuns = 20_000 * DURATION;
  for (const suffix of ['', '-wal', '-shm']) rmSync(template + suffix, { force: true });
  seed({ file: template, jobs: JOBS, runs: SIDE_BY_SIDE_RUNS, runningForPatch: patchRuns });
  const sqlite = new BetterSqlite3(template, { readonly: true });
  const running = (
    sqlite
      .prepare("SELECT id FROM job_runs WHERE status = 'RUNNING' AND id > ? ORDER BY id")
      .all(SIDE_BY_SIDE_RUNS) as Array<{ id: number }>
  ).map((row) => row.id);
  sqlite.close();
  const jobIds = Array.from({ length: JOBS }, (_, i) => i + 1);

  const perRound: ServerRound[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const server of Object.keys(SERVERS) as ServerName[]) {
      const file = join(dir, `side-by-side-${server}.db`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      copyFileSync(template, file);
      const { args, env, prepare } = SERVERS[server];
      prepare?.(file);
      const child = await startServer(args, { ...env, DATABASE_FILE: file });
      // The same short warm-up for all three (JIT, statement caches); it writes the same runs.
      await load('warm-up', { url: `${BASE}/api/jobs/1/runs?limit=50`, duration: 2 }, true);
      await load('warm-up', { method: 'POST', url: `${BASE}/api/jobs/1/runs`, duration: 2 }, true);
      const finishes = finishRunLoad(running);
      // taskset execs in place, so the child's pid is the server's: its CPU per request.
      const pid = child.pid;
      const results = [
        await load('GET /health', { url: `${BASE}/health` }, false, pid),
        await load('POST /api/jobs/{id}/runs', createRunLoad(jobIds), false, pid),
        await load('PATCH /api/runs/{id} → SUCCESS', finishes.options, false, pid),
        await load(
          'GET /api/jobs/{id}/runs?limit=50',
          {
            requests: [
              {
                setupRequest: (req) => ({
                  ...req,
                  path: `/api/jobs/${pick(jobIds)}/runs?limit=50`,
                }),
              },
            ],
          },
          false,
          pid,
        ),
      ];
      if (finishes.sent() > running.length)
        console.warn(`PATCH ran out of RUNNING runs (${finishes.sent()} requests)`);
      const walBytes = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
      const memory = memoryMiB(child.pid);
      await stopServer(child);
      console.log(JSON.stringify({ server, round, memoryMiB: memory, walBytes }));
      perRound.push({ server, round, results, memoryMiB: memory, walBytes });
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    }
  }
  rmSync(template, { force: true });

  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length / 2;
    return Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
  };
  const summary = ROUTES.map((route) => {
    const row = { route } as { route: Route } & Record<ServerName, Result>;
    for (const server of Object.keys(SERVERS) as ServerName[]) {
      const rows = perRound
        .filter((r) => r.server === server)
        .map((r) => r.results.find((result) => result.scenario === route)!);
      row[server] = {
        scenario: route,
        requestsPerSec: Math.round(median(rows.map((r) => r.requestsPerSec))),
        p50Ms: median(rows.map((r) => r.p50Ms)),
        p99Ms: median(rows.map((r) => r.p99Ms)),
        errors: rows.reduce((sum, r) => sum + r.errors, 0),
        non2xx: rows.reduce((sum, r) => sum + r.non2xx, 0),
        ...(rows.every((r) => r.cpuMicrosPerRequest !== undefined)
          ? { cpuMicrosPerRequest: median(rows.map((r) => r.cpuMicrosPerRequest!)) }
          : {}),
      };
    }
    return row;
  });
  return {
    runs: SIDE_BY_SIDE_RUNS,
    jobs: JOBS,
    rounds: ROUNDS,
    durationSeconds: DURATION,
    perRound,
    summary,
  };
}

/** The comparison as a Markdown table, ratios against the raw server and Express. */
export function sideBySideMarkdown(result: SideBySide): string {
  const cell = (r: Result) =>
    `${r.requestsPerSec.toLocaleString('en')}/s (p99 ${r.p99Ms} ms${r.cpuMicrosPerRequest === undefined ? '' : `, ${Math.round(r.cpuMicrosPerRequest)} µs CPU`})`;
  const ratio = (a: Result, b: Result) => `${(a.requestsPerSec / b.requestsPerSec).toFixed(2)}×`;
  const memory = (server: ServerName) =>
    Math.max(
      ...result.perRound.filter((r) => r.server === server).map((r) => r.memoryMiB?.peak ?? 0),
    );
  const wal = Math.max(
    ...result.perRound.filter((r) => r.server === 'chronotrack').map((r) => r.walBytes),
  );
  const failures = result.summary
    .flatMap((row) => (Object.keys(SERVERS) as ServerName[]).map((s) => [s, row[s]] as const))
    .filter(([, r]) => r.errors + r.non2xx > 0)
    .map(([s, r]) => `${s} ${r.scenario}: ${r.errors} errors, ${r.non2xx} non-2xx`);
  return [
    `${result.runs.toLocaleString('en')} runs over ${result.jobs} jobs seeded; each server started fresh on its own copy, alternated ${result.rounds} times (A B C D …), ${result.durationSeconds} s per route; medians over the rounds; "µs CPU" is the server process's own CPU time (user + system, /proc/<pid>/stat) per request answered. "Without triggers" is the same ChronoTrack on a copy with every trigger dropped (job_metrics counters, webhook outbox): the last column is what they cost.`,
    '',
    '| Route | ChronoTrack | Express + better-sqlite3 | raw node:http + better-sqlite3 | bare Hono + better-sqlite3 | ChronoTrack / raw | ChronoTrack / Express | ChronoTrack / bare Hono | bare Hono / raw | ChronoTrack without triggers | with / without triggers |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.summary.map(
      (row) =>
        `| \`${row.route}\` | ${cell(row.chronotrack)} | ${cell(row.express)} | ${cell(row.raw)} | ${cell(row.hono)} | ${ratio(row.chronotrack, row.raw)} | ${ratio(row.chronotrack, row.express)} | ${ratio(row.chronotrack, row.hono)} | ${ratio(row.hono, row.raw)} | ${cell(row.chronotrackNoTriggers)} | ${ratio(row.chronotrack, row.chronotrackNoTriggers)} |`,
    ),
    '',
    `Peak RSS: ChronoTrack ${memory('chronotrack')} MiB, Express ${memory('express')} MiB, raw ${memory('raw')} MiB, bare Hono ${memory('hono')} MiB. ChronoTrack's WAL after the load: ${(wal / 2 ** 20).toFixed(1)} MiB. ${failures.length ? `Errors: ${failures.join('; ')}.` : 'No errors and no non-2xx answers.'}`,
  ].join('\n');
}
