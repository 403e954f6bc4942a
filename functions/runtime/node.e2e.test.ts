import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { freePort, startNodeServer } from '../../test/support/node-process.js';

const json = (key: string) => ({
  Authorization: `Bearer ${key}`,
  'Content-Type': 'application/json',
});

/** The real Node entry as a process: serves, keeps data across a restart, shuts down cleanly. */

describe('Node entry (functions/runtime/node.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('first start: writes an admin key to a 0600 file beside the database, logging only its path', async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATABASE_FILE: join(dir, 'nested', 'dir', 'e2e.db'),
      NODE_ENV: 'test',
      ADMIN_API_KEY: '',
    };
    const base = `http://127.0.0.1:${port}`;

    const first = await startNodeServer(env);
    const keyFile = join(dir, 'nested', 'dir', 'admin-key');
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^ct_[0-9A-Za-z]{40}$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(first.output()).toContain(`"file":"${keyFile}"`);
    expect(first.output()).not.toContain(key);

    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/api/jobs`)).status).toBe(401);
    const job = (await (
      await fetch(`${base}/api/jobs`, {
        method: 'POST',
        body: '{"name":"survivor"}',
        headers: json(key),
      })
    ).json()) as any;
    const run = (await (
      await fetch(`${base}/api/jobs/${job.id}/runs`, { method: 'POST', headers: json(key) })
    ).json()) as any;
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.output()).toContain('"msg":"shutdown complete"');

    // A second start finds a key in the database and writes no new one.
    const second = await startNodeServer(env);
    expect(second.output()).not.toContain('created the first admin key');
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(key);
    const auth = { headers: json(key) };
    // The job survived, with its run (which its health and lastRunAt now reflect).
    expect(await (await fetch(`${base}/api/jobs/${job.id}`, auth)).json()).toEqual({
      ...job,
      health: 'up',
      lastRunAt: run.createdAt,
    });
    // The run by itself also carries its output (none).
    expect(await (await fetch(`${base}/api/runs/${run.id}`, auth)).json()).toEqual({
      ...run,
      output: null,
    });
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
  }, 60_000);

  it('AUTH=off serves without keys and warns at every start', async () => {
    const server = await startNodeServer({ DATABASE_FILE: join(dir, 'open.db'), AUTH: 'off' });
    expect(server.output()).toMatch(/"level":"warn".*"msg":"AUTH=off/);
    expect((await fetch(`${server.baseUrl}/api/jobs`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 60_000);

  it('serves on libSQL when DATABASE_URL is set, logging the driver but never the token', async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATABASE_URL: `file:${join(dir, 'libsql', 'e2e.db')}`,
      DATABASE_AUTH_TOKEN: 'super-secret-token',
      ADMIN_API_KEY: TEST_ADMIN_KEY,
    };
    const server = await startNodeServer(env);
    const job = await fetch(`http://127.0.0.1:${port}/api/jobs`, {
      method: 'POST',
      body: '{"name":"on libsql"}',
      headers: json(TEST_ADMIN_KEY),
    });
    expect(job.status).toBe(201);
    expect(server.output()).toMatch(/"driver":"libsql".*"msg":"startup"/);
    expect(server.output()).not.toContain('super-secret-token');
    expect(server.output()).not.toContain(TEST_ADMIN_KEY);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 60_000);

  it('on libSQL, the first-start key goes beside the database file of the file: URL', async () => {
    const server = await startNodeServer({
      DATABASE_URL: `file:${join(dir, 'libsql-first', 'e2e.db')}`,
      ADMIN_API_KEY: '',
    });
    const key = readFileSync(join(dir, 'libsql-first', 'admin-key'), 'utf8').trim();
    const res = await fetch(`${server.baseUrl}/api/keys`, { headers: json(key) });
    expect(res.status).toBe(200);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 60_000);

  it('lets an in-flight request finish during shutdown', async () => {
    const port = await freePort();
    const server = await startNodeServer({
      PORT: String(port),
      DATABASE_FILE: join(dir, 'inflight.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
    });
    const inflight = fetch(`http://127.0.0.1:${port}/api/jobs`, {
      method: 'POST',
      body: '{"name":"late"}',
      headers: json(TEST_ADMIN_KEY),
    });
    await new Promise((r) => setTimeout(r, 5));
    server.child.kill('SIGTERM');
    expect((await inflight).status).toBe(201);
    expect((await server.exited).code).toBe(0);
  }, 60_000);

  it.each([
    [{ PORT: 'not-a-port' }, /Invalid configuration: PORT/],
    [
      { ADMIN_API_KEY: 'short-secret' },
      /Invalid configuration: ADMIN_API_KEY: must be at least 32/,
    ],
  ])(
    'refuses to start on invalid configuration, naming the variable: %o',
    async (bad, message) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'functions/runtime/node.ts'], {
        env: { ...process.env, ...bad },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const code = await new Promise((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(output).toMatch(message);
      expect(output).not.toContain('short-secret');
    },
    30_000,
  );
});
