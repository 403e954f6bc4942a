import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from './better-sqlite3.js';

describe('better-sqlite3 adapter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-bs3-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the directory and sets the server pragmas', async () => {
    const database = openBetterSqlite(join(dir, 'a', 'b', 'c.db'));
    expect(database.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(database.sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(database.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    await database.close();
  });

  it('reuses one statement per SQL text, always handed out in object mode', async () => {
    const database = openBetterSqlite(join(dir, 'reuse.db'));
    const first = database.sqlite.prepare('select 1 as one');
    expect(database.sqlite.prepare('select 1 as one')).toBe(first);
    first.raw(true);
    expect(database.sqlite.prepare('select 1 as one').get()).toEqual({ one: 1 });
    expect(database.sqlite.prepare('create table if not exists t (x)').reader).toBe(false);
    await database.close();
  });
});
