import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { TEST_ADMIN_KEY } from '../support/keys.js';
import { startNodeServer, type NodeServer } from '../support/node-process.js';

/**
 * A real tracker for the CLI to talk to: functions/runtime/node.ts as a process on a SQLite file in a
 * temporary folder, with the test admin key. `restart()` stops it and starts it again on the
 * same port and file (a tracker that went away and came back).
 */
export interface Tracker {
  url: string;
  port: number;
  env: { CHRONOTRACK_URL: string; CHRONOTRACK_API_KEY: string };
  /** A request to the API with the admin key; the JSON body, or undefined for none. */
  api: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  close: () => Promise<void>;
}

/** `env` adds to the server's environment (SWEEP_INTERVAL_SECONDS...). */
export async function startTracker(env: Record<string, string> = {}): Promise<Tracker> {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-cli-tracker-'));
  const serverEnv = {
    DATABASE_FILE: join(dir, 'tracker.db'),
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    ...env,
  };
  let server: NodeServer | undefined = await startNodeServer(serverEnv);
  const url = server.baseUrl;
  const actualPort = Number(new URL(url).port);
  const stop = async () => {
    if (!server) return;
    server.child.kill('SIGTERM');
    await server.exited;
    server = undefined;
  };
  return {
    url,
    port: actualPort,
    env: { CHRONOTRACK_URL: url, CHRONOTRACK_API_KEY: TEST_ADMIN_KEY },
    async api(method, path, body) {
      const response = await fetch(`${url}/api${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${TEST_ADMIN_KEY}`,
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    stop,
    async start() {
      server = await startNodeServer({ ...serverEnv, PORT: String(actualPort) });
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A tracker and a scratch folder for one `describe` block: started before its tests, both gone
 * after them. `tracker()` is the running tracker.
 */
export function useTracker(prefix: string): { dir: string; tracker: () => Tracker } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let tracker: Tracker | undefined;
  beforeAll(async () => {
    tracker = await startTracker();
  });
  afterAll(async () => {
    await tracker?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    tracker: () => {
      if (!tracker) throw new Error('the tracker is not started: use it inside a test');
      return tracker;
    },
  };
}
