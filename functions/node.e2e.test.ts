import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startNodeServer } from './test-support/node-process.js';

/** The real Node entry as a process: serves, keeps data across a restart, shuts down cleanly. */

describe('Node entry (functions/node.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves, keeps data across a restart, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATABASE_FILE: join(dir, 'nested', 'dir', 'e2e.db'),
      NODE_ENV: 'test',
    };
    const base = `http://127.0.0.1:${port}`;

    const first = await startNodeServer(env);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const job = (await (
      await fetch(`${base}/jobs`, {
        method: 'POST',
        body: '{"name":"survivor"}',
        headers: { 'Content-Type': 'application/json' },
      })
    ).json()) as any;
    const run = (await (
      await fetch(`${base}/jobs/${job.id}/runs`, { method: 'POST' })
    ).json()) as any;
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.output()).toContain('"msg":"shutdown complete"');

    const second = await startNodeServer(env);
    expect(await (await fetch(`${base}/jobs/${job.id}`)).json()).toEqual(job);
    expect(await (await fetch(`${base}/runs/${run.id}`)).json()).toEqual(run);
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
  }, 60_000);

  it('serves on libSQL when DATABASE_URL is set, logging the driver but never the token', async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATABASE_URL: `file:${join(dir, 'libsql', 'e2e.db')}`,
      DATABASE_AUTH_TOKEN: 'super-secret-token',
    };
    const server = await startNodeServer(env);
    const job = await fetch(`http://127.0.0.1:${port}/jobs`, {
      method: 'POST',
      body: '{"name":"on libsql"}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(job.status).toBe(201);
    expect(server.output()).toMatch(/"msg":"startup".*"driver":"libsql"/);
    expect(server.output()).not.toContain('super-secret-token');
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 60_000);

  it('lets an in-flight request finish during shutdown', async () => {
    const port = await freePort();
    const server = await startNodeServer({
      PORT: String(port),
      DATABASE_FILE: join(dir, 'inflight.db'),
    });
    const inflight = fetch(`http://127.0.0.1:${port}/jobs`, {
      method: 'POST',
      body: '{"name":"late"}',
      headers: { 'Content-Type': 'application/json' },
    });
    await new Promise((r) => setTimeout(r, 5));
    server.child.kill('SIGTERM');
    expect((await inflight).status).toBe(201);
    expect((await server.exited).code).toBe(0);
  }, 60_000);

  it('refuses to start on invalid configuration, naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'functions/node.ts'], {
      env: { ...process.env, PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/Invalid configuration: PORT/);
  }, 30_000);
});
