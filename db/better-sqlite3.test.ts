import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from './better-sqlite3.js';
import { MIGRATIONS_DIR } from './migrations-dir.js';

/** Opens (and so migrates) `file` in a process of its own; resolves with its exit code and stderr. */
const openInChild = (file: string) =>
  new Promise<{ code: number; stderr: string }>((resolve) => {
    const script = `import { openBetterSqlite } from './db/better-sqlite3.ts'; await openBetterSqlite(${JSON.stringify(file)}).close();`;
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });

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

  it('processes that start together on a new file migrate it once, none failing', async () => {
    // Drizzle's own migrator read the applied migrations before taking the write lock: two
    // processes could both apply 0000, and one crashed ("table job_runs already exists").
    const migrations = readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith('.sql'));
    for (let round = 0; round < 2; round++) {
      const file = join(dir, `together-${round}.db`);
      const results = await Promise.all(Array.from({ length: 6 }, () => openInChild(file)));
      for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
      const database = openBetterSqlite(file, { migrate: false });
      const applied = database.sqlite.prepare('SELECT hash FROM __drizzle_migrations').all();
      expect(applied).toHaveLength(migrations.length);
      await database.close();
    }
    // Twelve processes start tsx and open the file: on a loaded 2-core machine that alone
    // outlasts the default 30 s.
  }, 90_000);
});
