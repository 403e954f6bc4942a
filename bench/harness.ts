/**
 * What every bench scenario shares: pinning (server on core 0, load generator on core 1), starting
 * and stopping a server process, autocannon with 32 connections, and reading a process's memory.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import autocannon from 'autocannon';

export const DURATION = Number(process.env.BENCH_DURATION ?? 10);
export const CONNECTIONS = 32;
export const PORT = 3900;
export const BASE = `http://127.0.0.1:${PORT}`;
/** Every request carries a key, as real clients do: authentication is part of what is measured. */
export const BENCH_KEY = 'ct_bench_admin_key_0123456789abcdefghijklmnop';
export const AUTH_HEADERS = { authorization: `Bearer ${BENCH_KEY}` };

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const canPin = cpus().length >= 2 && hasTaskset();

/** The load generator (this process) stays off the server's core. */
export function pinLoadGenerator(): void {
  if (canPin) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    pinned: canPin ? 'server on core 0, load generator on core 1 (taskset)' : 'not pinned',
  };
}

/** Starts `node <args>` (pinned to core 0) on `port` (PORT) and waits for `/health`. */
export async function startServer(
  args: string[],
  env: Record<string, string>,
  port = PORT,
): Promise<ChildProcess> {
  const [command, argv] = canPin
    ? ['taskset', ['-c', '0', process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, argv, {
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Never leave a server behind, whatever ends this process.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
  for (let i = 0; i < 300; i++) {
    if ((await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok) return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server ${args.join(' ')} did not start`);
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Peak and current resident memory of a process, in MiB (Linux /proc; taskset execs in place). */
export function memoryMiB(pid: number | undefined): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: Math.round(kib('VmRSS') / 1024), peak: Math.round(kib('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

export interface Result {
  scenario: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** The server's CPU time (user + system) per request, when `load` was given its pid. */
  cpuMicrosPerRequest?: number;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const USER_HZ = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A process's CPU time so far (user + system), in µs; null off Linux or once it has exited. */
export function cpuMicros(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which may itself hold spaces: utime is the 14th field.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / USER_HZ;
  } catch {
    return null;
  }
}

/**
 * Runs one scenario with autocannon; given the server's `pid`, the row also has the server's CPU
 * time per request (/proc/<pid>/stat before and after, over the requests answered).
 */
export async function load(
  scenario: string,
  options: Partial<autocannon.Options>,
  quiet = false,
  pid?: number,
): Promise<Result> {
  const cpuBefore = pid === undefined ? null : cpuMicros(pid);
  const result = await autocannon({
    url: BASE,
    connections: CONNECTIONS,
    duration: DURATION,
    ...options,
    headers: { ...AUTH_HEADERS, ...options.headers },
  });
  const row: Result = {
    scenario,
    requestsPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
  const cpuAfter = pid === undefined ? null : cpuMicros(pid);
  if (cpuBefore !== null && cpuAfter !== null && result.requests.total > 0)
    row.cpuMicrosPerRequest = Math.round((cpuAfter - cpuBefore) / result.requests.total);
  if (!quiet) console.log(JSON.stringify(row));
  return row;
}

export const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

/** The write scenarios' load: each request creates a run on a random job of `jobIds`. */
export const createRunLoad = (jobIds: number[]): Partial<autocannon.Options> => ({
  requests: [
    {
      method: 'POST',
      setupRequest: (req) => ({ ...req, path: `/api/jobs/${pick(jobIds)}/runs` }),
    },
  ],
});

/**
 * Each request finishes the next of the `running` runs (RUNNING → SUCCESS); `sent()` says how
 * many went out, to warn when the seed had too few.
 */
export function finishRunLoad(running: number[]) {
  let next = 0;
  const options: Partial<autocannon.Options> = {
    requests: [
      {
        method: 'PATCH',
        headers: { ...AUTH_HEADERS, 'content-type': 'application/json' },
        body: '{"status":"SUCCESS"}',
        setupRequest: (req) => ({ ...req, path: `/api/runs/${running[next++ % running.length]}` }),
      },
    ],
  };
  return { options, sent: () => next };
}

/** Replaces the text between `<!-- marker:start -->` and `<!-- marker:end -->` in `doc`. */
export function replaceSection(doc: string, marker: string, body: string): string {
  return doc.replace(
    new RegExp(`(<!-- ${marker}:start -->)[\\s\\S]*(<!-- ${marker}:end -->)`),
    `$1\n${body}\n$2`,
  );
}
