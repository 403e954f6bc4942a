import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOB_HEALTHS, healthSteps, type JobHealth } from '../shared/job-health.js';
import { RUN_STATUSES } from '../shared/run-status.js';
import {
  EVENT_TRIGGERS,
  jobEvents,
  runEvents,
  targetsJob,
  type TargetFilter,
  type RunRow,
} from '../shared/webhooks/event-triggers.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../shared/webhooks/model.js';
import { openBetterSqlite } from './better-sqlite3.js';
import { MIGRATIONS_DIR } from './migrations-dir.js';

/**
 * The webhook triggers of the migrations against their TypeScript home,
 * shared/webhooks/event-triggers.ts: the same triggers (name, table, write, event), and the same
 * events for every write of a run and every change of a job's health (all of them: the cases
 * are few enough to enumerate), and for the steps a tick records (`healthSteps`: late before
 * down), in the order they are queued.
 */
const database = openBetterSqlite(':memory:');
const { sqlite } = database;
afterAll(() => database.close());

sqlite
  .prepare(
    `INSERT INTO webhooks (url, events, secret, created_at, updated_at) VALUES ('https://example.com/', ?, 's', 0, 0)`,
  )
  .run(JSON.stringify(WEBHOOK_EVENT_TYPES));
const jobId = Number(
  sqlite
    .prepare(
      "INSERT INTO jobs (project_id, key, name, created_at, updated_at) VALUES (1, 'j', 'j', 0, 0)",
    )
    .run().lastInsertRowid,
);

/** What `write` added to `table`: each new row's `column`, ordered by `orderBy`. */
function addedBy<T>(write: () => void, table: string, column: string, orderBy = 'id'): T[] {
  const { id: before } = sqlite
    .prepare(`SELECT coalesce(max(id), 0) AS id FROM ${table}`)
    .get() as { id: number };
  write();
  return (
    sqlite
      .prepare(`SELECT ${column} AS value FROM ${table} WHERE id > ? ORDER BY ${orderBy}`)
      .all(before) as Array<{ value: T }>
  ).map((row) => row.value);
}

/** The event types the write `write` queued, in order. */
const eventsQueuedBy = (write: () => void) => addedBy<string>(write, 'webhook_events', 'type');

/** The event types the write `write` queued, sorted. */
const eventsOf = (write: () => void) => eventsQueuedBy(write).sort();

const sorted = (events: WebhookEventType[]) => [...events].sort();

const RUN_ROWS: RunRow[] = RUN_STATUSES.flatMap((status) => [
  { status, slow: false },
  { status, slow: true },
]);

describe('the webhook triggers', () => {
  it('are the ones EVENT_TRIGGERS lists, on the same table and write, for the same event', () => {
    const rows = sqlite
      .prepare(
        "SELECT name, tbl_name AS tableName, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'webhook\\_%' ESCAPE '\\' ORDER BY name",
      )
      .all() as Array<{ name: string; tableName: string; sql: string }>;
    const fromSql = rows.map((row) => ({
      name: row.name,
      table: row.tableName,
      on: /AFTER INSERT ON/.test(row.sql) ? 'INSERT' : /AFTER UPDATE OF `(\w+)`/.exec(row.sql)?.[1],
      event: /randomblob\(16\)\)\), '([a-z.]+)'/.exec(row.sql)?.[1],
    }));
    const declared = EVENT_TRIGGERS.map(({ name, table, on, event }) => ({
      name,
      table,
      on,
      event,
    }));
    expect(fromSql).toEqual([...declared].sort((a, b) => a.name.localeCompare(b.name)));
  });

  it('are each created last by the migration EVENT_TRIGGERS names', () => {
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((file) => file.endsWith('.sql'))
      .sort();
    for (const trigger of EVENT_TRIGGERS) {
      const creating = files.filter((file) =>
        readFileSync(join(MIGRATIONS_DIR, file), 'utf8').includes(
          `CREATE TRIGGER \`${trigger.name}\``,
        ),
      );
      expect(creating.at(-1), trigger.name).toBe(trigger.migration);
    }
  });

  it('emit runEvents for every run inserted', () => {
    for (const row of RUN_ROWS) {
      const emitted = eventsOf(() =>
        sqlite
          .prepare('INSERT INTO job_runs (job_id, status, slow, created_at) VALUES (?, ?, ?, 0)')
          .run(jobId, row.status, row.slow ? 1 : 0),
      );
      expect(emitted, JSON.stringify(row)).toEqual(sorted(runEvents(null, row)));
    }
  });

  it('emit runEvents for every update of a run', () => {
    for (const before of RUN_ROWS) {
      for (const after of RUN_ROWS) {
        const runId = Number(
          sqlite
            .prepare('INSERT INTO job_runs (job_id, status, slow, created_at) VALUES (?, ?, ?, 0)')
            .run(jobId, before.status, before.slow ? 1 : 0).lastInsertRowid,
        );
        const emitted = eventsOf(() =>
          sqlite
            .prepare('UPDATE job_runs SET status = ?, slow = ? WHERE id = ?')
            .run(after.status, after.slow ? 1 : 0, runId),
        );
        expect(emitted, JSON.stringify({ before, after })).toEqual(
          sorted(runEvents(before, after)),
        );
      }
    }
  });

  it('emit jobEvents for every change of a recorded health', () => {
    const healths: Array<JobHealth | null> = [null, ...JOB_HEALTHS];
    const setHealth = sqlite.prepare(
      'UPDATE jobs SET health = ?, health_changed_at = 0 WHERE id = ?',
    );
    for (const before of healths) {
      for (const after of healths) {
        setHealth.run(before, jobId);
        const emitted = eventsOf(() => setHealth.run(after, jobId));
        expect(emitted, `${before} -> ${after}`).toEqual(sorted(jobEvents(before, after)));
      }
    }
  });

  it('emit the events of healthSteps in order: job.late then job.down for a job found past both', () => {
    // Every minute, grace 20 s, last run at 12:00:05: late 12:01:20, down 12:01:40.
    const facts = {
      archived: false,
      schedule: '* * * * *',
      timezone: null,
      graceSeconds: 20,
      createdAt: new Date('2026-03-01T12:00:00Z'),
      lastRunAt: new Date('2026-03-01T12:00:05Z'),
    };
    const times = ['12:00:30', '12:01:30', '12:01:45'].map((t) => new Date(`2026-03-01T${t}Z`));
    const setHealth = sqlite.prepare(
      'UPDATE jobs SET health = ?, health_changed_at = 0 WHERE id = ? AND health IS ?',
    );
    for (const lastFinishedStatus of ['SUCCESS', 'FAILED'] as const) {
      for (const recorded of [null, ...JOB_HEALTHS]) {
        for (const now of times) {
          sqlite.prepare('UPDATE jobs SET health = ? WHERE id = ?').run(recorded, jobId);
          const steps = healthSteps({ ...facts, lastFinishedStatus }, recorded, now);
          const emitted = eventsQueuedBy(() => {
            let from = recorded;
            for (const to of steps) {
              expect(setHealth.run(to, jobId, from).changes).toBe(1);
              from = to;
            }
          });
          let from = recorded;
          const expected = steps.flatMap((to) => {
            const events = jobEvents(from, to);
            from = to;
            return events;
          });
          const label = `${lastFinishedStatus} ${recorded} at ${now.toISOString()}: ${steps.join(' ')}`;
          expect(emitted, label).toEqual(expected);
          if ((recorded === 'up' || recorded === 'new') && steps.at(-1) === 'down')
            expect(emitted, label).toEqual(
              lastFinishedStatus === 'FAILED' ? ['job.down'] : ['job.late', 'job.down'],
            );
        }
      }
    }
  });

  it('fan out to the webhooks and channels targetsJob says, for run and health writes', () => {
    // A second project and job, so filters have something to exclude.
    sqlite.prepare("INSERT INTO projects (id, name, created_at) VALUES (2, 'other', 0)").run();
    const otherJob = Number(
      sqlite
        .prepare(
          "INSERT INTO jobs (project_id, key, name, created_at, updated_at) VALUES (2, 'k', 'k', 0, 0)",
        )
        .run().lastInsertRowid,
    );
    const jobs = [
      { id: jobId, projectId: 1 },
      { id: otherJob, projectId: 2 },
    ];
    const filters: TargetFilter[] = [];
    for (const projectId of [null, 1, 2])
      for (const single of [null, jobId, otherJob])
        for (const list of [null, [jobId], [otherJob], [jobId, otherJob]])
          filters.push({ projectId, jobId: single, jobIds: list });
    sqlite.prepare('DELETE FROM webhooks').run();
    const insert = sqlite.prepare(
      `INSERT INTO webhooks (url, events, secret, type, project_id, job_id, job_ids, created_at, updated_at)
       VALUES ('https://example.com/', '["run.failed","job.down"]', '', 'slack', ?, ?, ?, 0, 0)`,
    );
    const ids = filters.map((filter) =>
      Number(
        insert.run(
          filter.projectId,
          filter.jobId,
          filter.jobIds === null ? null : JSON.stringify(filter.jobIds),
        ).lastInsertRowid,
      ),
    );
    /** The webhooks and channels the write `write` queued a delivery for. */
    const reached = (write: () => void) =>
      addedBy<number>(write, 'webhook_deliveries', 'webhook_id', 'webhook_id');
    for (const job of jobs) {
      const expected = ids.filter((_, i) => targetsJob(filters[i]!, job));
      expect(expected.length).toBeGreaterThan(0);
      const byRun = reached(() =>
        sqlite
          .prepare(
            "INSERT INTO job_runs (job_id, status, slow, created_at) VALUES (?, 'FAILED', 0, 0)",
          )
          .run(job.id),
      );
      expect(byRun, `run of job ${job.id}`).toEqual(expected);
      sqlite.prepare("UPDATE jobs SET health = 'up' WHERE id = ?").run(job.id);
      const byHealth = reached(() =>
        sqlite.prepare("UPDATE jobs SET health = 'down' WHERE id = ?").run(job.id),
      );
      expect(byHealth, `health of job ${job.id}`).toEqual(expected);
    }
  });
});
