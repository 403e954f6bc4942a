import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from './better-sqlite3.js';
import { openLibsql } from './libsql.js';

/**
 * The database holds webhook signing secrets and ping keys: the file, its WAL and its shared
 * memory are the owner's alone, whatever the umask, on both file drivers.
 */
describe('database file modes (db/private-file.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-modes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
  const umask = process.umask();
  afterAll(() => process.umask(umask));

  it('better-sqlite3 creates the directory 0700 and the file, WAL and SHM 0600 under umask 022', async () => {
    process.umask(0o022);
    const file = join(dir, 'new', 'chronotrack.db');
    const database = openBetterSqlite(file);
    try {
      expect(mode(join(dir, 'new'))).toBe('700');
      for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(mode(path), path).toBe('600');
    } finally {
      await database.close();
    }
  });

  it('libSQL file: URLs get the same modes', async () => {
    process.umask(0o022);
    const file = join(dir, 'libsql.db');
    const database = await openLibsql({ url: pathToFileURL(file).href });
    try {
      for (const path of [file, `${file}-wal`]) expect(mode(path), path).toBe('600');
    } finally {
      await database.close();
    }
  });

  it('an existing database readable by others (from before this rule) is made private on open', async () => {
    const file = join(dir, 'old.db');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, '');
    chmodSync(`${file}-wal`, 0o664);
    const database = openBetterSqlite(file);
    try {
      for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(mode(path), path).toBe('600');
    } finally {
      await database.close();
    }
  });
});
