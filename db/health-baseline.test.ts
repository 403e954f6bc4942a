import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../shared/logger.js';
import { HealthRecorder } from '../shared/services/index.js';
import { openBetterSqlite } from './better-sqlite3.js';
import { MIGRATIONS_DIR } from './migrations-dir.js';
import { drizzleStores } from './stores.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 24 * 3_600_000;

/** A copy of the migrations folder that ends at `last` (its journal cut there): the old release. */
function migrationsUpTo(dir: string, last: string): string {
  const folder = join(dir, `migrations-${last}`);
  cpSync(MIGRATIONS_DIR, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as {
    entries: Array<{ tag: string }>;
  };
  journal.entries = journal.entries.filter((entry) => entry.tag.slice(0, 4) <= last);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

/**
 * A database as the release with migration 0007 left it, with the server's own migrator: jobs
 * that existed before 0006 (health NULL), one whose last run FAILED months ago, one that
 * succeeded, one that never ran, one whose schedule is long overdue; and a webhook for every job
 * event. Returns the ids.
 */
function oldRelease(file: string, migrationsFolder: string) {
  const sqlite = new BetterSqlite3(file);
  migrate(drizzle({ client: sqlite }), { migrationsFolder });
  const old = NOW.getTime() - 120 * DAY;
  sqlite.prepare("INSERT INTO projects (name, created_at) VALUES ('other', 0)").run();
  const job = (key: string, schedule: string | null = null) =>
    Number(
      sqlite
        .prepare(
          'INSERT INTO jobs (project_id, key, name, schedule, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?)',
        )
        .run(key, key, schedule, old, old).lastInsertRowid,
    );
  const run = (jobId: number, status: string) =>
    sqlite
      .prepare(
        'INSERT INTO job_runs (job_id, status, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(jobId, status, old + DAY, old + DAY, old + DAY + 1000);
  const ids = {
    failed: job('failed-long-ago'),
    succeeded: job('succeeded'),
    neverRan: job('never-ran'),
    overdue: job('overdue', '0 3 * * *'),
  };
  run(ids.failed, 'FAILED');
  run(ids.succeeded, 'SUCCESS');
  sqlite
    .prepare(
      `INSERT INTO webhooks (url, events, secret, created_at, updated_at)
       VALUES ('https://hooks.example.com/x', '["job.late","job.down","job.up"]', 'whsec_dGVzdA==', 0, 0)`,
    )
    .run();
  sqlite.close();
  return ids;
}

const outbox = (sqlite: BetterSqlite3.Database) =>
  sqlite.prepare('SELECT type, job_id AS jobId FROM webhook_events ORDER BY id').all();

describe('the first recording of health after the upgrade (migration 0008)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-health-baseline-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records every job from NULL and notifies nothing; a later real change notifies once', async () => {
    const file = join(dir, 'upgraded.db');
    const ids = oldRelease(file, migrationsUpTo(dir, '0007'));
    // The server opens the file as it does on deploy: migration 0008 is applied here.
    const database = openBetterSqlite(file);
    try {
      const stores = drizzleStores(database);
      const lines: Array<Record<string, unknown>> = [];
      const logged = createJsonLogger({ write: (line) => lines.push(JSON.parse(line)) });
      const recorder = new HealthRecorder(stores.jobs, logged);
      const first = await recorder.record(NOW);
      // The baseline is one line, not one per job (10,000 lines at 10,000 jobs).
      expect(lines).toEqual([
        expect.objectContaining({ msg: 'job health baseline recorded', jobs: 4 }),
      ]);
      expect(new Map(first.map((t) => [t.jobId, [t.from, t.to]]))).toEqual(
        new Map([
          [ids.failed, [null, 'down']],
          [ids.succeeded, [null, 'up']],
          [ids.neverRan, [null, 'new']],
          [ids.overdue, [null, 'down']],
        ]),
      );
      expect(outbox(database.sqlite)).toEqual([]);
      // A real transition: the job that was up fails now.
      const run = await stores.runs.createForActiveJob({
        jobId: ids.succeeded,
        status: 'RUNNING',
        createdAt: new Date(NOW.getTime() + 1000),
        startedAt: new Date(NOW.getTime() + 1000),
        metadata: null,
      });
      await stores.runs.updateIf(
        run!.id,
        { statuses: ['RUNNING'], startedAt: run!.startedAt },
        { status: 'FAILED', finishedAt: new Date(NOW.getTime() + 2000) },
      );
      const second = await recorder.record(new Date(NOW.getTime() + 3000));
      expect(second).toEqual([{ jobId: ids.succeeded, from: 'up', to: 'down' }]);
      expect(lines.slice(1)).toEqual([
        expect.objectContaining({ msg: 'job health changed', jobId: ids.succeeded, to: 'down' }),
      ]);
      expect(outbox(database.sqlite)).toEqual([{ type: 'job.down', jobId: ids.succeeded }]);
    } finally {
      await database.close();
    }
  });

  it('without it (the 0007 triggers), the same first recording sent job.down for old failures', async () => {
    // What this migration fixes, shown on the old release: the test above would fail without 0008.
    const file = join(dir, 'not-upgraded.db');
    const ids = oldRelease(file, migrationsUpTo(dir, '0007'));
    const sqlite = new BetterSqlite3(file);
    try {
      sqlite
        .prepare("UPDATE jobs SET health = 'down', health_changed_at = ? WHERE id IN (?, ?)")
        .run(NOW.getTime(), ids.failed, ids.overdue);
      expect(outbox(sqlite)).toEqual([
        { type: 'job.down', jobId: ids.failed },
        { type: 'job.down', jobId: ids.overdue },
      ]);
    } finally {
      sqlite.close();
    }
  });
});
