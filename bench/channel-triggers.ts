/**
 * What the channels' `job_ids` filter (migration 0009) adds to a run write: µs per INSERT of a
 * FAILED run (the outbox triggers run inside it) over SQLite :memory:, with no target, a webhook
 * and channels for other jobs (the filter evaluated, nothing queued), and one target that wants
 * the run (two events and their deliveries written). Two rounds, 20,000 inserts each, in one
 * transaction, so the commit is not what is measured.
 *   npx tsx bench/channel-triggers.ts
 */
import type BetterSqlite3 from 'better-sqlite3';
import { openBetterSqlite } from '../db/better-sqlite3.js';

const INSERTS = 20_000;
const EVENTS = JSON.stringify(['run.failed', 'run.created']);

function measure(label: string, setup: (sqlite: BetterSqlite3.Database) => void): void {
  const database = openBetterSqlite(':memory:');
  const { sqlite } = database;
  sqlite
    .prepare(
      "INSERT INTO jobs (id, project_id, key, name, created_at, updated_at) VALUES (1, 1, 'a', 'a', 0, 0), (2, 1, 'b', 'b', 0, 0)",
    )
    .run();
  setup(sqlite);
  const insert = sqlite.prepare(
    "INSERT INTO job_runs (job_id, status, slow, created_at) VALUES (1, 'FAILED', 0, 0)",
  );
  for (let i = 0; i < 2_000; i++) insert.run(); // warm-up
  const started = process.hrtime.bigint();
  sqlite.transaction(() => {
    for (let i = 0; i < INSERTS; i++) insert.run();
  })();
  const us = Number(process.hrtime.bigint() - started) / 1000 / INSERTS;
  console.log(`${label.padEnd(58)} ${us.toFixed(1)} µs/insert`);
  void database.close();
}

const target = (columns: string, values: unknown[]) => (sqlite: BetterSqlite3.Database) =>
  sqlite
    .prepare(
      `INSERT INTO webhooks (url, events, secret, created_at, updated_at, ${columns}) VALUES ('https://x/', ?, '', 0, 0, ${values.map(() => '?').join(', ')})`,
    )
    .run(EVENTS, ...values);

for (let round = 1; round <= 2; round++) {
  console.log(`round ${round}`);
  measure('no webhook, no channel', () => {});
  measure('webhook for another job', target('job_id', [2]));
  measure('channel, jobIds [another job]', target('type, job_ids', ['slack', '[2]']));
  measure(
    'channel, jobIds [50 other jobs]',
    target('type, job_ids', ['slack', JSON.stringify(Array.from({ length: 50 }, (_, i) => i + 2))]),
  );
  measure('webhook for this job (2 events + deliveries)', target('job_id', [1]));
  measure(
    'channel, jobIds [this job] (2 events + deliveries)',
    target('type, job_ids', ['slack', '[1]']),
  );
}
