import { spawn } from 'node:child_process';
import { freePort } from './node-process.js';

/** A `npm run dev:worker` (wrangler dev on workerd with a local D1) that answers on `baseUrl`. */
export interface WranglerDev {
  baseUrl: string;
  /** Everything wrangler and the Worker printed so far (the Worker's log lines included). */
  output(): string;
  /** Stops wrangler and workerd together (their process group) and waits for them to exit. */
  stop(): Promise<void>;
}

export interface WranglerDevOptions {
  /** The local D1 and other state (`--persist-to`): a temporary folder per test. */
  persistTo: string;
  /** Worker vars and secrets (`--var NAME:value`), as `wrangler secret put` would give them. */
  vars: Record<string, string>;
  /** More `wrangler dev` flags (`--test-scheduled`). */
  args?: string[];
  /** How long the first answer of GET /health may take. */
  timeoutMs?: number;
}

/**
 * `npm run dev:worker` as a new user runs it, offline: migrations applied to a local D1, then the
 * API on workerd via `wrangler dev`. Resolves once GET /health answers 200.
 */
export async function startWranglerDev(options: WranglerDevOptions): Promise<WranglerDev> {
  const port = await freePort();
  const vars = Object.entries(options.vars).flatMap(([name, value]) => [
    '--var',
    `${name}:${value}`,
  ]);
  const child = spawn(
    'npm',
    [
      'run',
      'dev:worker',
      '--',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      options.persistTo,
      ...vars,
      ...(options.args ?? []),
    ],
    {
      // The dashboard is built once before the tests (pretest), like the Worker's assets folder;
      // rebuilding it here would pull its files from under the other browser tests.
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', SKIP_WEB_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so wrangler and workerd stop together
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 90_000);
    for (;;) {
      if (child.exitCode !== null) throw new Error(`dev:worker exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`dev:worker did not answer:\n${output}`);
      const health = await fetch(`${baseUrl}/health`).catch(() => undefined);
      if (health?.ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, output: () => output, stop };
}
