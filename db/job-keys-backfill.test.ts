import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isJobKey } from '../shared/job-keys.js';
import { MIGRATION_FILES, statementsOf } from '../test/db/migration-files.js';

const migrations = MIGRATION_FILES;

/** A database at the state before `first`, with `jobs` inserted, then every migration from it on. */
function migrateOver(file: string, first: string, jobs: Array<[projectId: number, name: string]>) {
  const db = new BetterSqlite3(file);
  for (const migration of migrations.filter((f) => f < first))
    for (const s of statementsOf(migration)) db.exec(s);
  db.prepare("INSERT INTO projects (name, created_at) VALUES ('other', 0)").run();
  const insert = db.prepare(
    'INSERT INTO jobs (project_id, name, created_at, updated_at) VALUES (?, ?, 0, 0)',
  );
  for (const [projectId, name] of jobs) insert.run(projectId, name);
  for (const migration of migrations.filter((f) => f >= first))
    for (const s of statementsOf(migration)) db.exec(s);
  const rows = db
    .prepare('SELECT id, project_id AS projectId, name, key FROM jobs ORDER BY id')
    .all() as Array<{ id: number; projectId: number; name: string; key: string | null }>;
  return { db, rows };
}

describe('job keys of existing jobs (migrations 0004 and 0005)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-key-backfill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const long = 'L'.repeat(64);
  const jobs: Array<[number, string]> = [
    [1, 'Nightly backup'],
    [1, 'Nightly backup'],
    [1, 'nightly backup'],
    [2, 'Nightly backup'],
    [1, 'Café crème'],
    [1, '日本語'],
    [1, 'a__b'],
    [1, 'job-6'],
    [1, '  Daily ETL  '],
    [1, 'x'.repeat(65)],
    [1, long],
    [1, long],
    [1, `${'m'.repeat(60)} end`],
    [1, `${'m'.repeat(60)} end`],
    [1, 'nightly-backup__2'],
  ];

  it('gives every existing job a valid key, unique in its project, and the index builds', () => {
    const { db, rows } = migrateOver(join(dir, 'backfill.db'), '0004', jobs);
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs'")
      .all() as Array<{ name: string }>;
    db.close();
    expect(indexes.map((i) => i.name)).toContain('jobs_project_key_unique');
    expect(rows).toHaveLength(jobs.length);
    for (const row of rows) expect(isJobKey(row.key ?? ''), `${row.name}: ${row.key}`).toBe(true);
    for (const project of [1, 2]) {
      const keys = rows.filter((r) => r.projectId === project).map((r) => r.key);
      expect(new Set(keys).size, `project ${project}: ${keys.join(' ')}`).toBe(keys.length);
    }
    const keyOf = (id: number) => rows.find((r) => r.id === id)!.key;
    // The oldest keeps the derived key; the same name in another project has it too.
    expect(keyOf(1)).toBe('nightly-backup');
    expect(keyOf(2)).toBe('nightly-backup__2');
    expect(keyOf(3)).toBe('nightly-backup__3');
    expect(keyOf(4)).toBe('nightly-backup');
    // No valid slug from the name: job-<id>.
    expect(keyOf(5)).toBe('job-5');
    expect(keyOf(6)).toBe('job-6');
    expect(keyOf(7)).toBe('job-7');
    expect(keyOf(9)).toBe('daily-etl');
    expect(keyOf(10)).toBe('job-10');
    // Duplicates of a long name keep the '__<id>' suffix within 64 characters (0005).
    expect(keyOf(11)).toBe('l'.repeat(64));
    expect(keyOf(12)).toBe(`${'l'.repeat(60)}__12`);
    expect(keyOf(14)).toBe(`${'m'.repeat(60)}__14`);
    expect(keyOf(15)).toBe('job-15');
  });
});
