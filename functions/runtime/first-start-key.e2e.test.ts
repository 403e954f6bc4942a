import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  startNodeServer,
  stopNodeServer,
  type NodeServer,
} from '../../test/support/node-process.js';

/**
 * data/admin-key, as the README has a newcomer use it: read the first-start key from the file,
 * make your own admin key, revoke the first one. The file goes with its key, and a start that
 * finds a file whose key no longer works says so, naming the file.
 */

const json = (key: string) => ({
  Authorization: `Bearer ${key}`,
  'Content-Type': 'application/json',
});
const STALE = 'the first-start key file holds a key that no longer works';

/** The server's JSON log line with this `msg`, once written (the logger writes in batches). */
async function logLine(server: NodeServer, msg: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes(`"msg":${JSON.stringify(msg)}`));
    if (line) return JSON.parse(line) as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error(`no "${msg}" line in:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the first-start key file (functions/runtime/first-start-key.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-first-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['better-sqlite3', 'DATABASE_FILE', ''],
    ['libSQL', 'DATABASE_URL', 'file:'],
  ])(
    'on %s: goes when its key is revoked over HTTP; a start that finds it stale names it in the log',
    async (driver, variable, scheme) => {
      const env = {
        [variable]: `${scheme}${join(dir, driver, 'chronotrack.db')}`,
        ADMIN_API_KEY: '',
      };
      const file = join(dir, driver, 'admin-key');
      const first = await startNodeServer(env);
      const firstKey = readFileSync(file, 'utf8').trim();
      expect(first.output()).not.toContain(STALE);
      const call = async (key: string, method: string, path: string, body?: unknown) => {
        const res = await fetch(`${first.baseUrl}${path}`, {
          method,
          headers: json(key),
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: res.status === 204 ? null : await res.json() };
      };

      const mine = (await call(firstKey, 'POST', '/api/keys', { name: 'me', scope: 'admin' })).body;
      const other = (await call(mine.key, 'POST', '/api/keys', { name: 'cron', scope: 'write' }))
        .body;
      // Revoking any other key leaves the file alone.
      expect((await call(mine.key, 'DELETE', `/api/keys/${other.id}`)).status).toBe(204);
      expect(readFileSync(file, 'utf8').trim()).toBe(firstKey);

      const keys = (await call(mine.key, 'GET', '/api/keys')).body.data as Array<{
        id: number;
        name: string;
      }>;
      const firstId = keys.find((k) => k.name === 'first-start admin key')!.id;
      expect((await call(mine.key, 'DELETE', `/api/keys/${firstId}`)).status).toBe(204);
      expect(existsSync(file)).toBe(false);
      expect(
        await logLine(first, 'removed the first-start key file: its key was revoked'),
      ).toMatchObject({ level: 'info', file, keyId: firstId });
      expect((await call(firstKey, 'GET', '/api/jobs')).status).toBe(401);
      await stopNodeServer(first);

      // Put back from a backup: the next start says the file's key no longer works.
      writeFileSync(file, `${firstKey}\n`, { mode: 0o600 });
      const restored = await startNodeServer(env);
      expect(await logLine(restored, STALE)).toMatchObject({
        level: 'warn',
        file,
        reason: 'revoked',
        keyId: firstId,
        hint: expect.stringContaining(`delete ${file}`),
      });
      expect(restored.output()).not.toContain(firstKey);
      // Only warned: the file is the user's to delete.
      expect(existsSync(file)).toBe(true);
      await stopNodeServer(restored);

      // A key this database never issued (the file of another installation): the same warning.
      writeFileSync(file, `ct_${'Q'.repeat(40)}\n`, { mode: 0o600 });
      const foreign = await startNodeServer(env);
      expect(await logLine(foreign, STALE)).toMatchObject({
        level: 'warn',
        file,
        reason: 'unknown to this database',
      });
      await stopNodeServer(foreign);

      // A file that holds a working key, and no file at all: no warning.
      writeFileSync(file, `${mine.key}\n`, { mode: 0o600 });
      const working = await startNodeServer(env);
      expect(working.output()).not.toContain(STALE);
      await stopNodeServer(working);
    },
    90_000,
  );

  it('goes when its key is revoked with npm run keys -- revoke', async () => {
    const env = { DATABASE_FILE: join(dir, 'cmd', 'chronotrack.db'), ADMIN_API_KEY: '' };
    const file = join(dir, 'cmd', 'admin-key');
    await stopNodeServer(await startNodeServer(env));
    expect(existsSync(file)).toBe(true);
    const keys = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', 'functions/runtime/keys-command.ts', ...args],
        {
          env: { ...process.env, ...env },
          encoding: 'utf8',
        },
      );
    const listed = keys('list');
    expect(listed.status).toBe(0);
    const id = /^(\d+)\t.*first-start admin key$/m.exec(listed.stdout)![1]!;
    const revoked = keys('revoke', id);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stderr).toContain(`Revoked key ${id} `);
    expect(revoked.stderr).toContain(`Removed ${file}: it held this key, which no longer works.`);
    expect(existsSync(file)).toBe(false);
  }, 60_000);

  it('refuses to start when a symbolic link stands where the key goes, writing nothing through it', async () => {
    const data = join(dir, 'planted');
    mkdirSync(data, { recursive: true });
    const target = join(dir, 'planted-target');
    symlinkSync(target, join(data, 'admin-key'));
    const env = { DATABASE_FILE: join(data, 'chronotrack.db'), ADMIN_API_KEY: '' };
    await expect(startNodeServer(env)).rejects.toThrow(
      /refusing to write the first admin key to .*admin-key: it is a symbolic link\. Remove it/,
    );
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(join(data, 'admin-key')).isSymbolicLink()).toBe(true);

    // No key was made meanwhile: with the link gone, the next start makes one and writes it.
    rmSync(join(data, 'admin-key'));
    const server = await startNodeServer(env);
    await stopNodeServer(server);
    const file = join(data, 'admin-key');
    expect(readFileSync(file, 'utf8')).toMatch(/^ct_\w+\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  }, 60_000);

  it("replaces a file of this user's left by an earlier database, 0600 whatever its mode was", async () => {
    const data = join(dir, 'leftover');
    mkdirSync(data, { recursive: true });
    const file = join(data, 'admin-key');
    writeFileSync(file, 'ct_from_an_earlier_database\n', { mode: 0o644 });
    const server = await startNodeServer({
      DATABASE_FILE: join(data, 'chronotrack.db'),
      ADMIN_API_KEY: '',
    });
    const key = readFileSync(file, 'utf8').trim();
    expect(key).not.toBe('ct_from_an_earlier_database');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await fetch(`${server.baseUrl}/api/me`, { headers: json(key) })).status).toBe(200);
    await stopNodeServer(server);
  }, 60_000);
});
