import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from './better-sqlite3.js';
import {
  explainHealthQueries,
  explainJobMetricsQueries,
  explainListQueries,
  explainLostRunQueries,
  isFullScan,
} from '../test/db/query-plans.js';

/**
 * Every list query must seek an index, so that a page costs the same at a million runs as at a
 * thousand. A query that falls back to a full table scan fails here.
 */
describe('query plans of the list queries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-plans-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('use an index for every run list and job list, never a full scan', async () => {
    const database = openBetterSqlite(join(dir, 'plans.db'));
    const plans = await explainListQueries(database);
    await database.close();
    expect(plans.length).toBeGreaterThan(20);
    for (const { name, plan } of plans) {
      expect(plan.filter(isFullScan), `${name}: ${plan.join(' | ')}`).toEqual([]);
    }
    // Every list is served in index order: no sort of all the matching rows on each page.
    for (const { name, plan } of plans) {
      expect(plan.join(' | '), name).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    }
    // A job's runs page reads the job's counter (its ETag) by primary key, once per statement.
    for (const { name, plan } of plans.filter((p) => p.name.startsWith('GET /jobs/{id}/runs'))) {
      expect(plan.join(' | '), name).toMatch(/SEARCH job_metrics USING INTEGER PRIMARY KEY/);
      expect(plan.join(' | '), name).not.toMatch(/CORRELATED/);
    }
  });

  it('every index on job_runs serves a list query: an index no query uses fails here', async () => {
    // Each index costs every write (bench/index-cost.ts measures how much), so each must be the
    // one some list query seeks; the same check names which query keeps which index.
    const database = openBetterSqlite(join(dir, 'indexes.db'));
    const plans = await explainListQueries(database);
    const indexes = (
      database.reader
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'job_runs' AND sql IS NOT NULL",
        )
        .all() as Array<{ name: string }>
    ).map((row) => row.name);
    await database.close();
    expect(indexes.length).toBeGreaterThan(0);
    const usedBy = (index: string) =>
      plans
        .filter(({ plan }) => plan.some((step) => new RegExp(`\\b${index}\\b`).test(step)))
        .map(({ name }) => name);
    for (const index of indexes) expect(usedBy(index), index).not.toEqual([]);
  });

  it('GET /metrics reads one job_metrics row per job by key and never the runs', async () => {
    // A scrape costs the same at a million runs as at ten: the triggers of migration 0003 keep
    // the counters, so the plan names no job_runs at all (the jobs themselves are read: one
    // series per job is the answer).
    const database = openBetterSqlite(join(dir, 'metrics.db'));
    const plans = await explainJobMetricsQueries(database);
    await database.close();
    expect(plans).toHaveLength(2);
    for (const { name, plan } of plans) {
      const text = plan.join(' | ');
      expect(text, name).not.toMatch(/job_runs/);
      expect(text, name).toMatch(/SEARCH m USING INTEGER PRIMARY KEY/);
      expect(text, name).not.toMatch(/SCAN m\b/);
    }
  });

  it('a heartbeat reads its run and job by primary key, a sweep reads only the runs old enough to be lost, a finish probes its job once', async () => {
    // A heartbeat costs the same at a million runs as at ten; a sweep reads, per job with a
    // limit, only the open runs created long enough ago to be lost (finished runs, nearly all of
    // them, and young ones are never visited), then writes the picked runs by key.
    const database = openBetterSqlite(join(dir, 'lost-runs.db'));
    const plans = await explainLostRunQueries(database);
    await database.close();
    expect(plans.map(({ name }) => name)).toEqual([
      'POST /runs/{id}/heartbeat',
      'POST /runs/{id}/heartbeat (project key)',
      'sweep (one batch)',
      'PATCH /runs/{id} (finishing: slow)',
      'sweep (slow runs)',
    ]);
    for (const { name, plan } of plans) {
      const text = plan.join(' | ');
      // The lost-run sweep reads the jobs whole, once (a per-job cost, asserted below); no
      // statement here reads job_runs whole.
      const scans = plan
        .filter(isFullScan)
        .filter((line) => line !== 'SCAN jobs' || name !== 'sweep (one batch)');
      expect(scans, `${name}: ${text}`).toEqual([]);
      // The sweeps walk the jobs (a per-job cost, as the health tick's; jobs are few next to
      // runs) and write their picks through an id list: both asserted precisely below.
      if (name.startsWith('sweep')) continue;
      expect(text, name).not.toMatch(/\bSCAN (r|j)\b/);
      expect(text, name).not.toMatch(/LIST SUBQUERY/);
    }
    const [heartbeat, scoped, sweep, finishing, slowSweep] = plans.map(({ plan }) => plan);
    expect(heartbeat).toEqual([
      'SEARCH job_runs USING INTEGER PRIMARY KEY (rowid=?)',
      'CORRELATED SCALAR SUBQUERY 1',
      'SEARCH jobs USING INTEGER PRIMARY KEY (rowid=?)',
    ]);
    expect(scoped!.join(' | ')).toMatch(/^SEARCH job_runs USING INTEGER PRIMARY KEY/);
    // The lost-run sweep costs per job with a limit, not per open run: one pass over the jobs
    // keeps those with a limit (MATERIALIZE limited), and runs are reached only from those, each
    // job and status a range of job_runs_job_status_created_idx (created before now - limit), so
    // a job without limits, and a young run, is never read. Then the picks are written by
    // primary key, the reason taken from the job by its key. The first version walked every open
    // run through job_runs_status_created_idx: ~100 ms a tick at 200,000 RUNNING runs.
    const range =
      'SEARCH r USING INDEX job_runs_job_status_created_idx (job_id=? AND status=? AND created_at<?)';
    expect(sweep).toEqual([
      'SEARCH job_runs USING INTEGER PRIMARY KEY (rowid=?)',
      expect.stringMatching(/^LIST SUBQUERY \d+$/),
      'COMPOUND QUERY',
      'LEFT-MOST SUBQUERY',
      'MATERIALIZE limited',
      'SCAN jobs',
      'SCAN l',
      range, // PENDING, created before now - pending limit
      'UNION ALL',
      'SCAN l',
      range, // RUNNING, created before now - min(max duration, heartbeat timeout)
      expect.stringMatching(/^CORRELATED SCALAR SUBQUERY \d+$/),
      'SEARCH j USING INTEGER PRIMARY KEY (rowid=?)',
    ]);
    // The slow threshold (db/slow-runs.ts) is one probe of the job's newest finished runs, read
    // backwards in index order (the only sort is the window's, over those <= 50 rows).
    const probe = 'SEARCH p USING INDEX job_runs_job_finished_idx (job_id=? AND finished_at>?)';
    // First the cheap floor (the job's 10th smallest duration, in duration order), then the
    // exact threshold, which SQLite evaluates only above the floor.
    const floor = 'SEARCH f USING INDEX job_runs_job_duration_idx (job_id=? AND duration_ms>?)';
    expect(finishing!.slice(0, 3)).toEqual([
      'SEARCH job_runs USING INTEGER PRIMARY KEY (rowid=?)',
      'CORRELATED SCALAR SUBQUERY 1',
      floor,
    ]);
    expect(finishing).toContain(probe);
    expect(finishing!.filter((line) => /TEMP B-TREE/.test(line))).toHaveLength(1);
    // The slow sweep costs per job, not per open run: the threshold once per job with a RUNNING
    // run (one EXISTS seek, then the probe), then only that job's RUNNING runs created before
    // now - threshold (a range), and the picked runs written by primary key. Nothing walks every
    // RUNNING run: with 200,000 of them the first version held the event loop for seconds.
    expect(slowSweep![0]).toBe('SEARCH job_runs USING INTEGER PRIMARY KEY (rowid=?)');
    expect(slowSweep![1]).toMatch(/^LIST SUBQUERY \d+$/);
    expect(slowSweep).toContain('SCAN j USING COVERING INDEX jobs_project_idx');
    expect(slowSweep).toContain('MATERIALIZE thresholds');
    expect(slowSweep).toContain(
      'SEARCH x EXISTS USING COVERING INDEX job_runs_job_status_created_idx (job_id=? AND status=?)',
    );
    expect(slowSweep).toContain(probe);
    expect(slowSweep).toContain(
      'SEARCH r USING INDEX job_runs_job_status_created_idx (job_id=? AND status=? AND created_at<?)',
    );
    expect(
      slowSweep!.filter((line) => /SCAN job_runs|job_runs_status_created_idx/.test(line)),
    ).toEqual([]);
  });

  it("the health tick pages jobs by rowid and reaches each job's runs only by seeks", async () => {
    // A tick costs per job, never per run: two seeks into per-job indexes for each job the page
    // visits, and each change written by primary key.
    const database = openBetterSqlite(join(dir, 'health.db'));
    const plans = await explainHealthQueries(database);
    await database.close();
    const [page, written, write] = plans.map(({ plan }) => plan);
    const text = page!.join(' | ');
    expect(page![0]).toBe('SEARCH jobs USING INTEGER PRIMARY KEY (rowid>?)');
    expect(page!.filter(isFullScan), text).toEqual([]);
    expect(text).not.toMatch(/\bSCAN r\b|TEMP B-TREE/);
    for (const step of page!.filter((s) => s.startsWith('SEARCH r')))
      expect(step).toMatch(/job_runs_job_(finished|created)_idx \(job_id=\?/);
    expect(write).toEqual(['SEARCH jobs USING INTEGER PRIMARY KEY (rowid=?)']);
    // The health timer's probe after a write: a range of an updated_at index, in its order.
    const writtenText = written!.join(' | ');
    expect(written![0], writtenText).toMatch(
      /^SEARCH jobs USING INDEX jobs_\w*updated_idx .*updated_at>\?/,
    );
    expect(written!.filter(isFullScan), writtenText).toEqual([]);
    expect(writtenText).not.toMatch(/\bSCAN r\b|TEMP B-TREE/);
  });
});
