import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import type { Database } from '../../db/database.js';
import { openLibsql } from '../../db/libsql.js';
import { createJsonLogger } from '../../shared/logger.js';
import { appOver, requestTarget, TEST_ADMIN_KEY } from '../../test/support/apps.js';
import { client } from '../../test/support/client.js';

/**
 * A key's plaintext exists in exactly one place: the response that creates it. Not in the
 * database file (nor its WAL), not in any log line, not in any error: checked byte for byte.
 */
const DRIVERS: Array<[string, (file: string) => Promise<Database>]> = [
  ['better-sqlite3', async (file) => openBetterSqlite(file)],
  ['libSQL', (file) => openLibsql({ url: `file:${file}` })],
];

describe.each(DRIVERS)('API key secrets (Node + %s)', (_driver, open) => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-secrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never reach the database file, the WAL or the logs', async () => {
    const lines: string[] = [];
    const database = await open(join(dir, 'secrets.db'));
    const app = appOver(database, createJsonLogger({ write: (line) => lines.push(line) }));
    const admin = client(requestTarget(app));

    const secrets: string[] = [];
    for (const scope of ['read', 'write', 'admin'] as const) {
      const res = await admin.post('/api/keys', { name: `${scope} key`, scope });
      expect(res.status).toBe(201);
      secrets.push(res.body.key);
    }
    // Use each key, well and badly, and revoke one: every path that touches a secret.
    for (const secret of secrets) {
      const api = client(requestTarget(app), secret);
      expect((await api.get('/api/jobs')).status).toBe(200);
      await api.get(`/api/jobs?q=${secret}`);
      await api.get('/api/jobs', { key: null, headers: { 'X-Api-Key': `${secret}x` } });
      await api.get('/api/jobs', { key: `${secret.slice(0, -1)}` });
    }
    expect((await admin.call('DELETE', '/api/keys/1')).status).toBe(204);
    await admin.get('/api/jobs', { key: secrets[0]! });
    // The bootstrap key is a secret too.
    secrets.push(TEST_ADMIN_KEY);

    const logs = lines.join('\n');
    expect(lines.length).toBeGreaterThan(20);
    await database.close();
    const files = readdirSync(dir).filter((file) => file.startsWith('secrets.db'));
    expect(files).toContain('secrets.db');
    const stored = files.map((file) => readFileSync(join(dir, file)).toString('latin1')).join('');
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      expect(stored).not.toContain(secret);
      // Nor a long piece of it: only the 9-character visible prefix is kept.
      expect(stored).not.toContain(secret.slice(3, 20));
    }
    // The hashes are what is stored: 64 hex characters per key.
    const reopened = await open(join(dir, 'secrets.db'));
    const rows = await reopened.db.all<{ hash: string; prefix: string }>(
      sql`select hash, prefix from api_keys`,
    );
    await reopened.close();
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.prefix).toMatch(/^ct_[0-9A-Za-z]{6}$/);
    }
  });
});
