import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { appOver, TEST_ADMIN_KEY } from '../../test/support/apps.js';
import { nodeDatabaseBackup } from './node-backup.js';

/** GET /api/admin/backup over a real SQLite file, through Node's backup part. */
describe('GET /api/admin/backup on Node (functions/runtime/node-backup.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-node-backup-'));
  const file = join(dir, 'chronotrack.db');
  const database = openBetterSqlite(file);
  const app = appOver(database, undefined, { backup: nodeDatabaseBackup(file) });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const call = (method: string, path: string, key?: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: {
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });

  it('streams a checked copy that opens and holds the data, and leaves no file behind', async () => {
    const job = (await (
      await call('POST', '/api/jobs', TEST_ADMIN_KEY, { name: 'nightly' })
    ).json()) as { id: number };
    for (let i = 0; i < 3; i++)
      expect((await call('POST', `/api/jobs/${job.id}/runs`, TEST_ADMIN_KEY, {})).status).toBe(201);

    const res = await call('GET', '/api/admin/backup', TEST_ADMIN_KEY);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/vnd.sqlite3');
    expect(res.headers.get('Content-Disposition')).toMatch(
      /^attachment; filename="chronotrack-\d{4}-\d{2}-\d{2}\.db"$/,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('Content-Length'))).toBe(bytes.length);
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');

    const copy = join(dir, 'downloaded.db');
    writeFileSync(copy, bytes);
    const sqlite = new BetterSqlite3(copy, { readonly: true });
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(sqlite.prepare('SELECT count(*) AS n FROM job_runs').get()).toEqual({ n: 3 });
    sqlite.close();
    // The temporary copy beside the database was unlinked as soon as it was opened.
    expect(readdirSync(dir).filter((name) => name.includes('download'))).toEqual(['downloaded.db']);
  });

  it('needs a key (401) and the admin scope (403)', async () => {
    expect((await call('GET', '/api/admin/backup')).status).toBe(401);
    const created = (await (
      await call('POST', '/api/keys', TEST_ADMIN_KEY, { name: 'reader', scope: 'read' })
    ).json()) as { key: string };
    expect((await call('GET', '/api/admin/backup', created.key)).status).toBe(403);
  });
});
