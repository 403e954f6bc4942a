import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openBetterSqlite, type BetterSqliteDatabase } from './better-sqlite3.js';

/**
 * Group commit on a real SQLite file: writes of one turn of the event loop share a transaction,
 * each in its own savepoint, and none is acknowledged before the COMMIT.
 */
describe('group commit (better-sqlite3)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-group-commit-'));
  const open: BetterSqliteDatabase[] = [];
  const outsiders: BetterSqlite3.Database[] = [];
  afterEach(async () => {
    for (const outsider of outsiders.splice(0)) outsider.close();
    await Promise.all(open.splice(0).map((database) => database.close()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function setup(maxBatch?: number) {
    const file = join(dir, `${crypto.randomUUID()}.db`);
    const commits: number[] = [];
    const database = openBetterSqlite(file, {
      groupCommit: { maxBatch, onCommit: (writes) => commits.push(writes) },
    });
    open.push(database);
    const { sqlite } = database;
    sqlite.exec("INSERT INTO jobs (id, name, created_at, updated_at) VALUES (1, 'job', 0, 0)");
    const insertRun = sqlite.prepare(
      "INSERT INTO job_runs (job_id, status, created_at) VALUES (?, 'PENDING', ?) RETURNING id",
    );
    const write = (jobId: number, at = Date.now()) =>
      database.groupCommit.write(() => (insertRun.get(jobId, at) as { id: number }).id);
    // Another connection to the same file: what any other reader (or process) can see.
    const outsider = new BetterSqlite3(file, { readonly: true });
    outsiders.push(outsider);
    const visibleRuns = () =>
      (outsider.prepare('SELECT count(*) AS n FROM job_runs').get() as { n: number }).n;
    return { database, sqlite, commits, write, insertRun, outsider, visibleRuns };
  }

  it('acknowledges a write only after the COMMIT that makes it visible to others', async () => {
    const { sqlite, write, visibleRuns, commits } = setup();
    let acknowledged = false;
    const pending = write(1).then((id) => {
      acknowledged = true;
      return id;
    });
    // The row is written inside the open transaction, not yet committed nor acknowledged.
    expect(sqlite.inTransaction).toBe(true);
    expect(visibleRuns()).toBe(0);
    await Promise.resolve();
    expect(acknowledged).toBe(false);

    const id = await pending;
    expect(id).toBe(1);
    expect(sqlite.inTransaction).toBe(false);
    expect(visibleRuns()).toBe(1);
    expect(commits).toEqual([1]);
  });

  it('writes of one turn share one transaction, commit in arrival order, and resolve in it', async () => {
    const { write, commits, outsider } = setup();
    const order: number[] = [];
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) => write(1, 1000 + i).then((id) => (order.push(i), id))),
    );
    expect(commits).toEqual([20]);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const rows = outsider
      .prepare('SELECT id, created_at FROM job_runs ORDER BY id')
      .all() as Array<{
      id: number;
      created_at: number;
    }>;
    expect(rows.map((row) => row.created_at)).toEqual(
      Array.from({ length: 20 }, (_, i) => 1000 + i),
    );
  });

  it('a failing write is rolled back to its own savepoint; the rest of its batch commits', async () => {
    const { database, write, insertRun, commits, visibleRuns } = setup();
    const before = write(1);
    // One request making two changes, the second of which violates the foreign key.
    const failing = database.groupCommit.write(() => {
      insertRun.get(1, Date.now());
      insertRun.get(999, Date.now());
    });
    const after = write(1);
    await expect(failing).rejects.toThrow(/FOREIGN KEY constraint failed/);
    // The failing request's first insert is gone with it: its rowid is free again for the next.
    await expect(Promise.all([before, after])).resolves.toEqual([1, 2]);
    expect(commits).toEqual([2]);
    expect(visibleRuns()).toBe(2);
  });

  it('a batch where every write fails releases the write lock', async () => {
    const { database, sqlite, write } = setup();
    await expect(
      database.groupCommit.write(() => {
        throw new Error('nothing to write');
      }),
    ).rejects.toThrow('nothing to write');
    await new Promise((resolve) => setImmediate(resolve));
    expect(sqlite.inTransaction).toBe(false);
    await expect(write(1)).resolves.toBe(1);
  });

  it('commits a full batch at once, so a batch never exceeds maxBatch', async () => {
    const { write, commits } = setup(4);
    await Promise.all(Array.from({ length: 10 }, () => write(1)));
    expect(commits).toEqual([4, 4, 2]);
  });

  it('close() commits what is still open, so an orderly shutdown loses nothing', async () => {
    const { database, write, visibleRuns } = setup();
    const pending = write(1);
    await database.close();
    open.splice(open.indexOf(database), 1);
    await expect(pending).resolves.toBe(1);
    expect(visibleRuns()).toBe(1);
  });

  it('reads through the reader connection never see a batch before it commits', async () => {
    const { database, write } = setup();
    const count = () =>
      (database.reader.prepare('SELECT count(*) AS n FROM job_runs').get() as { n: number }).n;
    const pending = write(1);
    expect(count()).toBe(0);
    await pending;
    expect(count()).toBe(1);
  });

  it('a full volume mid-batch: SQLite rolls the whole batch back, so no write of it is acknowledged', async () => {
    const { database, sqlite, outsider } = setup();
    // A one-row insert into a table with no index nor trigger: SQLite keeps no statement journal
    // for it, so a failure mid-statement cannot be undone alone and SQLite rolls back the whole
    // transaction. (Inserting a run, whose triggers make SQLite keep one, loses only the statement.)
    sqlite.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    const insertBig = sqlite.prepare('INSERT INTO notes (body) VALUES (?) RETURNING id');
    const big = () => (insertBig.get('x'.repeat(1500)) as { id: number }).id;
    const visibleNotes = () =>
      (outsider.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n;
    // No more than three new pages: SQLITE_FULL, as a full disk answers (and as it does, SQLite
    // ends the whole transaction, not only the statement: checked below).
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages + 3}`);
    const writes = Array.from({ length: 8 }, () => database.groupCommit.write(big));
    const settled = await Promise.allSettled(writes);
    const acknowledged = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const refused = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
    // Every write acknowledged is there; none that was rolled back with the batch was answered.
    expect(visibleNotes()).toBe(acknowledged.length);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((error) => (error as { code?: string }).code === 'SQLITE_FULL')).toBe(
      true,
    );
    expect(sqlite.inTransaction).toBe(false);

    // Room again: the next writes commit, with no restart.
    sqlite.pragma('max_page_count = 1073741823');
    expect(
      await Promise.all([database.groupCommit.write(big), database.groupCommit.write(big)]),
    ).toHaveLength(2);
    expect(visibleNotes()).toBe(acknowledged.length + 2);
  });
});
