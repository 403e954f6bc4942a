import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from './better-sqlite3.js';
import { drizzleStores } from './stores.js';
import { MIGRATION_FILES, statementsOf } from '../test/db/migration-files.js';

const migrations = MIGRATION_FILES;

describe('job_metrics (migration 0003)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-job-metrics-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backfills existing runs to exactly what the triggers count for the same history', async () => {
    // Through the repositories on a current database: the triggers keep the counters.
    const live = openBetterSqlite(join(dir, 'live.db'));
    const stores = drizzleStores(live);
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    for (let j = 0; j < 3; j++) {
      const job = await stores.jobs.create({
        projectId: 1,
        key: `j${j}`,
        name: `j${j}`,
        description: null,
        type: null,
        now: at(0),
      });
      for (let i = 0; i < 12; i++) {
        const run = await stores.runs.createForActiveJob({
          jobId: job.id,
          status: i % 5 === 0 ? 'PENDING' : 'RUNNING',
          createdAt: at(i),
          startedAt: i % 5 === 0 ? null : at(i),
          metadata: null,
        });
        const status = (['SUCCESS', 'FAILED', 'CANCELLED', 'RUNNING'] as const)[(i + j) % 4];
        let current = run!;
        if (i % 5 === 0 && status !== 'CANCELLED') {
          // PENDING -> RUNNING first (some stay RUNNING).
          current = (await stores.runs.updateIf(
            current.id,
            { statuses: ['PENDING'], startedAt: null },
            { status: 'RUNNING', startedAt: at(i + 1) },
          ))!;
        }
        if (status === 'RUNNING') continue;
        // Finished out of order: the latest finishedAt decides job_up, not the last write.
        await stores.runs.updateIf(
          current.id,
          { statuses: [current.status], startedAt: current.startedAt },
          { status, finishedAt: at(100 + ((i * 7919) % 13) * 600) },
        );
      }
    }
    // run_changes (0012) counts writes, not runs: no backfill can know it, so it is left out.
    const countersOf = (db: BetterSqlite3.Database) =>
      (
        db.prepare('SELECT * FROM job_metrics ORDER BY job_id').all() as Array<
          Record<string, unknown>
        >
      ).map(({ run_changes: _, ...counters }) => counters);
    const counted = countersOf(live.sqlite);
    const runs = live.sqlite
      .prepare('SELECT id, job_id, status, created_at, started_at, finished_at FROM job_runs')
      .all();
    const jobs = live.sqlite.prepare('SELECT * FROM jobs').all();
    // Every kind of transition happened: the comparison below covers each trigger.
    const totals = live.sqlite
      .prepare(
        'SELECT sum(running) running, sum(cancelled_total) cancelled, sum(failed_total) failed, sum(duration_count) timed, sum(created_total) created FROM job_metrics',
      )
      .get() as {
      running: number;
      cancelled: number;
      failed: number;
      timed: number;
      created: number;
    };
    expect(totals.running).toBeGreaterThan(0);
    expect(totals.cancelled).toBeGreaterThan(0);
    expect(totals.failed).toBeGreaterThan(0);
    expect(totals.timed).toBeLessThan(totals.created);
    await live.close();
    expect(counted).toHaveLength(3);

    // The same rows in a database at 0002, then 0003 applied over them: the backfill.
    const old = new BetterSqlite3(join(dir, 'old.db'));
    for (const file of migrations.filter((f) => f < '0003'))
      for (const s of statementsOf(file)) old.exec(s);
    const insert = (table: string, rows: unknown[]) => {
      // Only the columns the table had at 0002: later migrations add some (0004: jobs.key ...).
      const known = new Set(
        (old.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map(
          (c) => c.name,
        ),
      );
      for (const row of rows as Array<Record<string, unknown>>) {
        const columns = Object.keys(row).filter((c) => known.has(c));
        old
          .prepare(
            `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
          )
          .run(...columns.map((c) => row[c]));
      }
    };
    insert('jobs', jobs);
    insert('job_runs', runs);
    for (const s of statementsOf(migrations.find((f) => f.startsWith('0003'))!)) old.exec(s);
    expect(countersOf(old)).toEqual(counted);
    old.close();
  });

  it("a heartbeat fires no counting trigger: it writes the run row and its job's change counter", async () => {
    // The counting triggers are AFTER UPDATE OF status: an UPDATE that sets only
    // last_heartbeat_at does not even evaluate their WHEN clauses. It bumps the job's run change
    // counter (0012), which the runs pages' ETags need: a page shows lastHeartbeatAt.
    // total_changes() counts trigger writes too.
    const database = openBetterSqlite(join(dir, 'heartbeat.db'));
    const stores = drizzleStores(database);
    const job = await stores.jobs.create({
      projectId: 1,
      key: 'beats',
      name: 'beats',
      description: null,
      type: null,
      now: new Date(0),
    });
    const run = await stores.runs.createForActiveJob({
      jobId: job.id,
      status: 'RUNNING',
      createdAt: new Date(0),
      startedAt: new Date(0),
      metadata: null,
    });
    const changes = () =>
      (database.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = changes();
    expect(await stores.runs.recordHeartbeat(run!.id, new Date(10_000))).toBe(true);
    expect(changes() - before).toBe(2);
    // The same measure sees the triggers of a status change: the run row, its job's counters and
    // its change counter.
    await stores.runs.updateIf(
      run!.id,
      { statuses: ['RUNNING'], startedAt: new Date(0) },
      { status: 'SUCCESS', finishedAt: new Date(20_000) },
    );
    expect(changes() - before).toBe(5);
    await database.close();
  });
});
