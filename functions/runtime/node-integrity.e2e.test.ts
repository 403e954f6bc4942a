import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { serverEnv } from '../../test/support/http-load.js';
import { freePort, startNodeServer, stopNodeServer } from '../../test/support/node-process.js';

/**
 * The integrity check at start (functions/runtime/node-integrity.ts) on the real Node entry: a
 * sound file is served, and a copy of it with bytes overwritten in a page is refused with a
 * non-zero exit and a message that names the restore command.
 */
describe('integrity check at start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-integrity-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sound = join(dir, 'sound.db');
  const database = openBetterSqlite(sound);
  database.sqlite.exec(
    "INSERT INTO jobs (name, type, archived, created_at, updated_at) VALUES ('j', 't', 0, 0, 0)",
  );
  const insert = database.sqlite.prepare(
    "INSERT INTO job_runs (job_id, status, created_at, metadata) VALUES (1, 'SUCCESS', ?, ?)",
  );
  database.sqlite.transaction(() => {
    for (let i = 0; i < 5000; i++) insert.run(i, JSON.stringify({ i, pad: 'x'.repeat(100) }));
  })();
  database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  // A leaf page of job_runs' table b-tree, from the middle of the table.
  const leaves = database.sqlite
    .prepare(
      "SELECT pageno FROM dbstat WHERE name = 'job_runs' AND pagetype = 'leaf' ORDER BY pageno",
    )
    .all() as Array<{ pageno: number }>;
  const victim = leaves[Math.floor(leaves.length / 2)]!.pageno;
  void database.close();

  it('serves a sound file and says so in its startup line', async () => {
    const server = await startNodeServer(serverEnv(sound));
    const startup = server
      .output()
      .split('\n')
      .find((line) => line.includes('"msg":"startup"'))!;
    expect(JSON.parse(startup).integrityCheck).toMatch(/^ok \(quick, \d+ ms\)$/);
    await stopNodeServer(server);
  }, 60_000);

  it('refuses a damaged copy: exit 1, and the log says how to restore', async () => {
    const damaged = join(dir, 'damaged.db');
    copyFileSync(sound, damaged);
    // Garbage over the first 100 bytes (the page header, the first cell pointers) of that page.
    // Bytes in a record's payload alone can go unnoticed: neither check decodes every value.
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(100, 0xa5), 0, 100, 4096 * (victim - 1));
    closeSync(fd);

    const child = spawn(process.execPath, ['--import', 'tsx', 'functions/runtime/node.ts'], {
      env: { ...process.env, ...serverEnv(damaged), PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect(code, output).toBe(1);
    expect(output).toContain('the database file is damaged: refusing to serve it');
    expect(output).toContain('npm run admin -- restore <backup.db>');
    expect(output).toContain('chronotrack-admin restore /data/<backup.db>');
    expect(output).not.toContain('"msg":"startup"');
  }, 60_000);
});
