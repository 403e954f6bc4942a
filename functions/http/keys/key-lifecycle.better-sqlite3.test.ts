import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../../db/better-sqlite3.js';
import { createJsonLogger } from '../../../shared/logger.js';
import {
  KEY_CACHE_TTL_MS,
  LAST_USED_RESOLUTION_MS,
} from '../../../shared/services/api-key-service.js';
import { appOver, requestTarget } from '../../../test/support/apps.js';
import { client } from '../../../test/support/client.js';

/**
 * Two apps over one SQLite file stand for two server processes (or two Worker isolates), on a
 * clock the test moves: a revoked key stops at once where it was revoked and within 10 s
 * elsewhere, and lastUsedAt is written at most once a minute per key, not on every request.
 */
describe('API key lifecycle across processes (Node + better-sqlite3)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-keys-'));
  const databases = [
    openBetterSqlite(join(dir, 'keys.db')),
    openBetterSqlite(join(dir, 'keys.db')),
  ];
  afterAll(async () => {
    for (const database of databases) await database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let nowMs = Date.parse('2026-11-25T00:00:00Z');
  const now = () => new Date(nowMs);
  const [one, two] = databases.map((database) =>
    client(requestTarget(appOver(database, createJsonLogger({ silent: true }), { now }))),
  ) as [ReturnType<typeof client>, ReturnType<typeof client>];

  it('a revoked key stops at once in the revoking process and within 10 s in the others', async () => {
    expect(KEY_CACHE_TTL_MS).toBe(10_000);
    const created = (await one.post('/api/keys', { name: 'to revoke', scope: 'read' })).body;
    const key = created.key as string;
    expect((await one.get('/api/jobs', { key })).status).toBe(200);
    expect((await two.get('/api/jobs', { key })).status).toBe(200); // now cached in "two"

    expect((await one.call('DELETE', `/api/keys/${created.id}`)).status).toBe(204);
    expect((await one.get('/api/jobs', { key })).status).toBe(401);
    nowMs += KEY_CACHE_TTL_MS - 1;
    expect((await two.get('/api/jobs', { key })).status).toBe(200);
    nowMs += 1;
    expect((await two.get('/api/jobs', { key })).status).toBe(401);
  });

  it('records lastUsedAt at most once a minute per key', async () => {
    const created = (await one.post('/api/keys', { name: 'busy', scope: 'read' })).body;
    const key = created.key as string;
    const lastUsed = async () =>
      (await one.get('/api/keys')).body.data.find((k: { id: number }) => k.id === created.id)
        .lastUsedAt as string | null;

    const first = new Date(nowMs).toISOString();
    expect((await one.get('/api/jobs', { key })).status).toBe(200);
    expect(await lastUsed()).toBe(first);
    for (let i = 0; i < 20; i++) {
      nowMs += 1_000;
      await one.get('/api/jobs', { key });
    }
    expect(await lastUsed()).toBe(first); // 20 uses in 20 s: no new write
    nowMs += LAST_USED_RESOLUTION_MS;
    await one.get('/api/jobs', { key });
    expect(await lastUsed()).toBe(new Date(nowMs).toISOString());
  });
});
