/**
 * What each index on job_runs costs a write: the same run life (insert PENDING, then RUNNING,
 * then SUCCESS) on copies of one seeded database, with every index, and with each index dropped
 * in turn, in transactions of 32 as group commit batches them. better-sqlite3 alone, no HTTP:
 * the difference is the index's share of the statement work.
 */
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { seed } from './seed.js';

const RUNS = 100_000;
const JOBS = 100;
const LIVES = 20_000;
const BATCH = 32;
const REPEATS = Number(process.env.BENCH_INDEX_REPEATS ?? 3);

export interface IndexCost {
  /** `(all)` for the full schema, else the index that was dropped. */
  without: string;
  /** CPU µs (user + system) per run life (insert + two transitions), best of the repeats. */
  microsPerLife: number;
  /** WAL bytes written per run life: the pages the statements dirtied, deterministic. */
  walBytesPerLife: number;
}

function lives(file: string): { micros: number; walBytes: number } {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // No checkpoint during the measurement: the WAL's growth is exactly what the commits wrote.
  db.pragma('wal_autocheckpoint = 0');
  const insert = db.prepare(
    "INSERT INTO job_runs (job_id, status, created_at) VALUES (?, 'PENDING', ?) RETURNING id",
  );
  const start = db.prepare(
    "UPDATE job_runs SET status = 'RUNNING', started_at = ? WHERE id = ? AND status = 'PENDING' RETURNING *",
  );
  const finish = db.prepare(
    "UPDATE job_runs SET status = 'SUCCESS', finished_at = ? WHERE id = ? AND status = 'RUNNING' RETURNING *",
  );
  const began = process.cpuUsage();
  let now = Date.now();
  for (let done = 0; done < LIVES; done += BATCH) {
    const ids: number[] = [];
    db.transaction(() => {
      for (let i = 0; i < BATCH; i++) {
        const [row] = insert.all(1 + ((done + i) % JOBS), now++) as Array<{ id: number }>;
        ids.push(row!.id);
      }
    })();
    db.transaction(() => ids.forEach((id) => start.all(now++, id)))();
    db.transaction(() => ids.forEach((id) => finish.all(now++, id)))();
  }
  const used = process.cpuUsage(began);
  const micros = (used.user + used.system) / LIVES;
  const walBytes = statSync(`${file}-wal`).size / LIVES;
  db.close();
  return { micros, walBytes };
}

export function indexCosts(dir: string): IndexCost[] {
  const template = join(dir, 'index-cost.db');
  const file = join(dir, 'index-cost-copy.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(template + suffix, { force: true });
  seed({ file: template, jobs: JOBS, runs: RUNS, runningForPatch: 0 });
  const probe = new BetterSqlite3(template, { readonly: true });
  const indexes = (
    probe
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'job_runs' AND sql IS NOT NULL ORDER BY name",
      )
      .all() as Array<{ name: string }>
  ).map((row) => row.name);
  probe.close();

  const measure = (without: string | null): IndexCost => {
    let best = Infinity;
    let walBytes = 0;
    for (let i = 0; i < REPEATS; i++) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      copyFileSync(template, file);
      if (without) {
        const db = new BetterSqlite3(file);
        db.exec(`DROP INDEX ${without}`);
        db.close();
      }
      const measured = lives(file);
      best = Math.min(best, measured.micros);
      walBytes = measured.walBytes;
    }
    const cost = {
      without: without ?? '(all)',
      microsPerLife: Number(best.toFixed(1)),
      walBytesPerLife: Math.round(walBytes),
    };
    console.log(JSON.stringify(cost));
    return cost;
  };
  // The full schema is measured first and last: the spread between the two is the noise.
  const costs = [measure(null), ...indexes.map(measure), measure(null)];
  for (const suffix of ['', '-wal', '-shm']) {
    rmSync(template + suffix, { force: true });
    rmSync(file + suffix, { force: true });
  }
  return costs;
}

/** A Markdown table: each index's share of a run life's statement work. */
export function indexCostMarkdown(costs: IndexCost[]): string {
  const full = costs.filter((c) => c.without === '(all)');
  const base = Math.min(...full.map((c) => c.microsPerLife));
  const wal = full[0]!.walBytesPerLife;
  const saved = (value: number, of: number) => `${(((of - value) / of) * 100).toFixed(0)}%`;
  return [
    `A run's life (insert, RUNNING, SUCCESS) on ${RUNS.toLocaleString('en')} seeded runs, ${BATCH} statements to a transaction, better-sqlite3 alone; CPU time best of ${REPEATS}. With every index: ${full.map((c) => `${c.microsPerLife} µs`).join(' and ')} of CPU (measured first and last; the spread is the noise) and ${wal.toLocaleString('en')} bytes of WAL per run life.`,
    '',
    '| Without | CPU µs per run life | CPU saved | WAL bytes per run life | WAL saved |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...costs
      .filter((c) => c.without !== '(all)')
      .map(
        (c) =>
          `| \`${c.without}\` | ${c.microsPerLife} | ${saved(c.microsPerLife, base)} | ${c.walBytesPerLife.toLocaleString('en')} | ${saved(c.walBytesPerLife, wal)} |`,
      ),
  ].join('\n');
}
