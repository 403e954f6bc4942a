import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { concurrently, serverEnv } from '../../test/support/http-load.js';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { callAsAdmin, startedServers, stopNodeServer } from '../../test/support/node-process.js';

/**
 * `npm run admin` (functions/runtime/admin-command.ts) against the real Node entry on a real
 * SQLite file: a backup taken while the server is written to is whole and consistent, restore
 * refuses while a server holds the file (and not after a kill -9 left it), and a restarted server
 * serves what was restored. GET /api/admin/backup from the same running server, too.
 */

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The admin command, asynchronously: the test's own writers keep running meanwhile. */
function admin(file: string, ...args: string[]): Promise<Outcome> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'functions/runtime/admin-command.ts', ...args],
    { env: { ...process.env, DATABASE_FILE: file }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

function readBackup(file: string) {
  const sqlite = new BetterSqlite3(file, { readonly: true });
  try {
    return {
      integrity: sqlite.pragma('integrity_check', { simple: true }),
      ids: new Set(
        (sqlite.prepare('SELECT id FROM job_runs').all() as Array<{ id: number }>).map((r) => r.id),
      ),
    };
  } finally {
    sqlite.close();
  }
}

describe('npm run admin: backup and restore beside a running server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-admin-'));
  const file = join(dir, 'chronotrack.db');
  const startServer = startedServers();
  const start = () => startServer(serverEnv(file));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up under concurrent writes, refuses to restore under a server, restores after it stops', async () => {
    const server = await start();
    const job = await callAsAdmin(server, 'POST', '/api/jobs', { name: 'written during backup' });
    expect(job.status).toBe(201);

    // Writers: every run the server acknowledged (201), in order.
    const acknowledged: number[] = [];
    let writing = true;
    const writers = concurrently(4, async () => {
      while (writing) {
        const run = await callAsAdmin(server, 'POST', `/api/jobs/${job.body.id}/runs`, {});
        expect(run.status).toBe(201);
        acknowledged.push(run.body.id as number);
      }
    });
    while (acknowledged.length < 100) await new Promise((r) => setTimeout(r, 20));

    const before = [...acknowledged];
    const backupFile = join(dir, 'backup.db');
    const backup = await admin(file, 'backup', backupFile);
    const duringBackup = acknowledged.length - before.length;
    // And a download from the server itself, still under the writers' load.
    const before2 = [...acknowledged];
    const download = await fetch(`${server.baseUrl}/api/admin/backup`, {
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    const downloaded = Buffer.from(await download.arrayBuffer());
    writing = false;
    await writers;

    expect(backup, backup.stderr).toMatchObject({ code: 0 });
    expect(backup.stdout).toMatch(
      /^Wrote .*backup\.db: [\d.]+ MiB, [\d,]+ runs, in [\d.]+ s; integrity_check ok\.\n$/,
    );
    expect(duringBackup, 'the server kept acknowledging writes during the backup').toBeGreaterThan(
      0,
    );
    const copy = readBackup(backupFile);
    expect(copy.integrity).toBe('ok');
    expect(before.filter((id) => !copy.ids.has(id))).toEqual([]);

    expect(download.status).toBe(200);
    const downloadFile = join(dir, 'downloaded.db');
    writeFileSync(downloadFile, downloaded);
    const fromHttp = readBackup(downloadFile);
    expect(fromHttp.integrity).toBe('ok');
    expect(before2.filter((id) => !fromHttp.ids.has(id))).toEqual([]);

    // A run acknowledged after the backup: the restore takes the server back to before it.
    const later = acknowledged.find((id) => !copy.ids.has(id));
    expect(later).toBeDefined();

    const refused = await admin(file, 'restore', backupFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Refusing to restore');
    expect(refused.stderr).toContain('Nothing was changed');
    expect((await callAsAdmin(server, 'GET', `/api/runs/${later}`)).status).toBe(200);

    await stopNodeServer(server);
    const restored = await admin(file, 'restore', backupFile);
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    expect(restored.stdout).toContain(`${copy.ids.size.toLocaleString('en-US')} runs`);
    expect(restored.stdout).toMatch(/kept as .*chronotrack\.db\.before-restore-/);
    expect(readdirSync(dir).filter((name) => /-wal$|-shm$|restoring|partial/.test(name))).toEqual(
      [],
    );

    const again = await start();
    expect((await callAsAdmin(again, 'GET', `/api/runs/${before.at(-1)}`)).status).toBe(200);
    expect((await callAsAdmin(again, 'GET', `/api/runs/${later}`)).status).toBe(404);
    await stopNodeServer(again);
  }, 120_000);

  it('restores after a kill -9 left the server’s -wal and -shm behind (no stale lock)', async () => {
    const server = await start();
    const job = await callAsAdmin(server, 'POST', '/api/jobs', { name: 'killed' });
    const backupFile = join(dir, 'killed-backup.db');
    expect((await admin(file, 'backup', backupFile)).code).toBe(0);
    const run = await callAsAdmin(server, 'POST', `/api/jobs/${job.body.id}/runs`, {});
    server.child.kill('SIGKILL');
    await server.exited;

    const restored = await admin(file, 'restore', backupFile);
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    const again = await start();
    expect((await callAsAdmin(again, 'GET', `/api/jobs/${job.body.id}`)).status).toBe(200);
    expect((await callAsAdmin(again, 'GET', `/api/runs/${run.body.id}`)).status).toBe(404);
    await stopNodeServer(again);
  }, 120_000);

  it('refuses a damaged backup and changes nothing; check says what is wrong', async () => {
    const damaged = join(dir, 'damaged.db');
    writeFileSync(damaged, 'not a database, whatever its name says');
    const restore = await admin(file, 'restore', damaged);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('SQLite could not read it');
    const check = await admin(file, 'check', damaged);
    expect(check.code).toBe(1);
    const usage = await admin(file, 'restore');
    expect(usage.code).toBe(2);
    const help = await admin(file, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm run admin -- backup <file>');
  }, 60_000);
});
