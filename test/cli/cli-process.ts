import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The CLI as a user runs it: a real process (node + tsx on cli/src/main.ts), with its own stdin,
 * stdout, stderr, exit code and signals. The environment is the test's minus any CHRONOTRACK_*
 * variable, plus `env`.
 */

const MAIN = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  stderrBytes: Buffer;
}

export interface CliProcess {
  child: ChildProcess;
  stdout: () => Buffer;
  stderr: () => string;
  done: Promise<CliResult>;
  /** Resolves once stderr contains `text` (rejects if the process ends first). */
  waitForStderr: (text: string, timeoutMs?: number) => Promise<void>;
  waitForStdout: (text: string, timeoutMs?: number) => Promise<void>;
}

export function startCli(
  args: string[],
  { env = {}, stdin = 'ignore' }: { env?: Record<string, string>; stdin?: 'ignore' | 'pipe' } = {},
): CliProcess {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('CHRONOTRACK_')),
  );
  // In a session of its own, as under cron: no controlling terminal, whether or not the tests
  // were started from one, so the wrapper's signal handling is the same on every machine.
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...base, TZ: 'UTC', ...env },
    stdio: [stdin, 'pipe', 'pipe'],
    detached: true,
  });
  const out: Buffer[] = [];
  const errBytes: Buffer[] = [];
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => {
    errBytes.push(chunk);
    err += chunk.toString('utf8');
  });
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(errBytes).toString('utf8'),
        stderrBytes: Buffer.concat(errBytes),
      }),
    ),
  );
  const waitFor = async (read: () => string, text: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!read().includes(text)) {
      if (child.exitCode !== null) throw new Error(`the CLI ended before printing ${text}: ${err}`);
      if (Date.now() > deadline) throw new Error(`no ${text} within ${timeoutMs} ms: ${err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return {
    child,
    stdout: () => Buffer.concat(out),
    stderr: () => err,
    done,
    waitForStderr: (text, timeoutMs = 20_000) => waitFor(() => err, text, timeoutMs),
    waitForStdout: (text, timeoutMs = 20_000) =>
      waitFor(() => Buffer.concat(out).toString('utf8'), text, timeoutMs),
  };
}

/** Runs the CLI to its end, feeding `input` to its stdin when given. */
export async function runCli(
  args: string[],
  options: { env?: Record<string, string>; input?: Buffer | string } = {},
): Promise<CliResult> {
  const cli = startCli(args, {
    env: options.env ?? {},
    stdin: options.input === undefined ? 'ignore' : 'pipe',
  });
  if (options.input !== undefined) cli.child.stdin!.end(options.input);
  return cli.done;
}

/** Polls `check` until it returns a value (not undefined), for state that settles over time. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not settled within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A command that runs until `file` exists: the test decides when it ends. */
export const untilFileExists = (file: string) => [
  'sh',
  '-c',
  `while [ ! -f '${file}' ]; do sleep 0.05; done; echo finished`,
];
