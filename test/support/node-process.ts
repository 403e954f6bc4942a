import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, expect } from 'vitest';
import { TEST_ADMIN_KEY } from './keys.js';

/** A free TCP port on the loopback interface. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

export interface NodeServer {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts servers for a suite and kills (SIGKILL) whichever of them still runs after each test, so
 * a test that failed halfway leaves no process behind.
 */
export function startedServers(): (env: Record<string, string>) => Promise<NodeServer> {
  const servers: NodeServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
  });
  return async (env) => {
    const server = await startNodeServer(env);
    servers.push(server);
    return server;
  };
}

/**
 * Starts the real Node entry (functions/runtime/node.ts) as a process on a free port and waits for its
 * startup log line. `env` adds to (or overrides) the test process's environment.
 */
export async function startNodeServer(env: Record<string, string>): Promise<NodeServer> {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/runtime/node.ts'], {
    env: { ...process.env, PORT: port, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + 20_000;
  while (!output.includes('"msg":"startup"')) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, baseUrl: `http://127.0.0.1:${port}`, output: () => output, exited };
}

const ADMIN_JSON = {
  Authorization: `Bearer ${TEST_ADMIN_KEY}`,
  'Content-Type': 'application/json',
};

/** A JSON request to a started server with the test admin key: its status and parsed body. */
export async function callAsAdmin(
  server: Pick<NodeServer, 'baseUrl'>,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: ADMIN_JSON,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** SIGTERM, then the clean exit the server promises (code 0); nothing if it already exited. */
export async function stopNodeServer(server: NodeServer): Promise<void> {
  if (server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  expect(await server.exited).toEqual({ code: 0, signal: null });
}
