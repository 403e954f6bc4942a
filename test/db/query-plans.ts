import type BetterSqlite3 from 'better-sqlite3';
import type { JobListQuery, RunListQuery } from '../../shared/list-queries.js';
import type { Database } from '../../db/database.js';
import { DrizzleJobRepository, DrizzleJobRunRepository } from '../../db/drizzle-repositories.js';
import { DrizzleJobMetricsRepository } from '../../db/job-metrics.js';
import { DrizzleRunSweepRepository } from '../../db/run-sweeps.js';

const at = new Date('2026-01-01T00:00:00Z');
const keyset = { key: at.getTime(), id: 1000 };
const desc = <F extends string>(field: F) => ({ field, descending: true });
const asc = <F extends string>(field: F) => ({ field, descending: false });

/** Every list query the API issues, by the request that issues it. */
export const RUN_LIST_CASES: Array<[string, Omit<RunListQuery, 'limit'>]> = [
  ['GET /jobs/{id}/runs', { jobId: 1, sort: desc('createdAt') }],
  ['GET /jobs/{id}/runs (deep page)', { jobId: 1, sort: desc('createdAt'), after: keyset }],
  [
    'GET /jobs/{id}/runs?status=FAILED',
    { jobId: 1, statuses: ['FAILED'], sort: desc('createdAt'), after: keyset },
  ],
  ['GET /jobs/{id}/runs?sort=-durationMs', { jobId: 1, sort: desc('durationMs'), after: keyset }],
  ['GET /jobs/{id}/runs?sort=startedAt', { jobId: 1, sort: asc('startedAt'), after: keyset }],
  ['GET /jobs/{id}/runs?sort=-finishedAt', { jobId: 1, sort: desc('finishedAt'), after: keyset }],
  [
    'GET /jobs/{id}/runs?createdAfter=&createdBefore=',
    { jobId: 1, createdAfter: at, createdBefore: at, sort: desc('createdAt') },
  ],
  ['GET /runs', { sort: desc('createdAt') }],
  ['GET /runs (deep page)', { sort: desc('createdAt'), after: keyset }],
  ['GET /runs?status=FAILED', { statuses: ['FAILED'], sort: desc('createdAt'), after: keyset }],
  [
    'GET /runs?status=FAILED,CANCELLED',
    { statuses: ['CANCELLED', 'FAILED'], sort: desc('createdAt'), after: keyset },
  ],
  ['GET /runs?jobType=etl', { jobType: 'etl', sort: desc('createdAt'), after: keyset }],
  ['GET /runs?sort=-durationMs', { sort: desc('durationMs'), after: keyset }],
  ['GET /runs?sort=-startedAt', { sort: desc('startedAt'), after: keyset }],
  ['GET /runs?sort=finishedAt', { sort: asc('finishedAt'), after: keyset }],
  [
    'GET /runs?startedAfter=&startedBefore=',
    { startedAfter: at, startedBefore: at, sort: desc('startedAt') },
  ],
  ['GET /runs?finishedAfter=', { finishedAfter: at, sort: desc('finishedAt') }],
];

export const JOB_LIST_CASES: Array<[string, Omit<JobListQuery, 'limit'>]> = [
  ['GET /jobs', { archived: 'false', sort: desc('createdAt'), after: keyset }],
  ['GET /jobs?archived=all', { archived: 'all', sort: desc('createdAt'), after: keyset }],
  ['GET /jobs?sort=name', { archived: 'false', sort: asc('name'), after: { key: 'm', id: 10 } }],
  ['GET /jobs?sort=-updatedAt', { archived: 'false', sort: desc('updatedAt'), after: keyset }],
  ['GET /jobs?type=etl', { archived: 'false', type: 'etl', sort: desc('createdAt') }],
  ['GET /jobs?q=backup', { archived: 'false', q: 'backup', sort: desc('createdAt') }],
];

export interface Plan {
  name: string;
  sql: string;
  plan: string[];
}

type PlanCase = [name: string, statement: RegExp, run: () => Promise<unknown>];

const SELECT = /^\s*select/i;
const UPDATE = /^\s*(with\b[\s\S]*\))?\s*update/i;

/**
 * Runs each case through the real repositories and returns SQLite's EXPLAIN QUERY PLAN for the
 * first statement of its kind that the case prepared on any of `connections` (captured at
 * prepare time, so it is exactly what runs in production), explained on that connection. Bound
 * values do not change a plan here (no sqlite_stat4), so every parameter is bound to null.
 */
async function explainCases(
  connections: BetterSqlite3.Database[],
  cases: PlanCase[],
): Promise<Plan[]> {
  const prepares = connections.map((connection) => connection.prepare);
  let captured: Array<[BetterSqlite3.Database, string]> = [];
  connections.forEach((connection, i) => {
    connection.prepare = ((source: string) => {
      captured.push([connection, source]);
      return prepares[i]!(source);
    }) as typeof connection.prepare;
  });
  try {
    const plans: Plan[] = [];
    for (const [name, statement, run] of cases) {
      captured = [];
      await run();
      const found = captured.find(([, source]) => statement.test(source));
      if (!found) throw new Error(`no statement like ${statement} captured for ${name}`);
      const [connection, sql] = found;
      const nulls = Array<null>(sql.split('?').length - 1).fill(null);
      const rows = connection.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...nulls) as Array<{
        detail: string;
      }>;
      plans.push({ name, sql, plan: rows.map((row) => row.detail) });
    }
    return plans;
  } finally {
    connections.forEach((connection, i) => (connection.prepare = prepares[i]!));
  }
}

/** Every list query the API issues (reads, prepared on the reader connection), with its plan. */
export function explainListQueries(
  database: Database & { reader: BetterSqlite3.Database },
): Promise<Plan[]> {
  const runs = new DrizzleJobRunRepository(database);
  const jobs = new DrizzleJobRepository(database);
  return explainCases(
    [database.reader],
    [
      ...RUN_LIST_CASES.map(([name, query]): PlanCase => [
        name,
        SELECT,
        // A job's runs page reads its job's run change counter in the same statement.
        () =>
          query.jobId === undefined
            ? runs.list({ ...query, limit: 51 })
            : runs.listOfJob({ ...query, jobId: query.jobId, limit: 51 }),
      ]),
      ...JOB_LIST_CASES.map(([name, query]): PlanCase => [
        name,
        SELECT,
        () => jobs.list({ ...query, limit: 51 }),
      ]),
    ],
  );
}

/** A plan line that reads a whole table instead of seeking an index. */
export const isFullScan = (line: string): boolean =>
  /^SCAN (job_runs|jobs)\b/.test(line) && !/USING (COVERING )?INDEX/.test(line);

/**
 * The scrape's query (GET /metrics), unscoped and for one project, with its plan: it must read
 * `job_metrics` by key and never touch `job_runs`.
 */
export function explainJobMetricsQueries(
  database: Database & { reader: BetterSqlite3.Database },
): Promise<Plan[]> {
  const metrics = new DrizzleJobMetricsRepository(database);
  return explainCases(
    [database.reader],
    [
      ['GET /metrics', SELECT, () => metrics.list(null)],
      ['GET /metrics (project key)', SELECT, () => metrics.list(1)],
    ],
  );
}

/**
 * The statements of heartbeats, the sweeper and a finishing run update (writes, so prepared on
 * the writer connection), with their plans: all must reach rows through indexes, never by a scan
 * of job_runs.
 */
export function explainLostRunQueries(
  database: Database & { sqlite: BetterSqlite3.Database },
): Promise<Plan[]> {
  const runs = new DrizzleJobRunRepository(database);
  const sweeps = new DrizzleRunSweepRepository(database);
  return explainCases(
    [database.sqlite],
    [
      ['POST /runs/{id}/heartbeat', UPDATE, () => runs.recordHeartbeat(1, at)],
      ['POST /runs/{id}/heartbeat (project key)', UPDATE, () => runs.recordHeartbeat(1, at, 1)],
      ['sweep (one batch)', UPDATE, () => sweeps.failLostRuns(at, 500)],
      [
        'PATCH /runs/{id} (finishing: slow)',
        UPDATE,
        () =>
          runs.updateIf(
            1,
            { statuses: ['RUNNING'], startedAt: at },
            { status: 'SUCCESS', finishedAt: at },
          ),
      ],
      ['sweep (slow runs)', UPDATE, () => sweeps.flagSlowRuns(at, 500)],
    ],
  );
}

/**
 * The health tick's statements (docs/performance.md#recording-health-each-tick), with their
 * plans: a page of jobs by a rowid range, each job's runs only by seeks into its per-job indexes,
 * the health timer's read of the jobs written since a time by a range of an updated_at index,
 * and the compare-and-set write by primary key.
 */
export function explainHealthQueries(
  database: Database & { sqlite: BetterSqlite3.Database; reader: BetterSqlite3.Database },
): Promise<Plan[]> {
  const jobs = new DrizzleJobRepository(database);
  return explainCases(
    [database.reader, database.sqlite],
    [
      ['health tick: a page of jobs', SELECT, () => jobs.listForHealth(0, 250)],
      ['health timer: the jobs written since', SELECT, () => jobs.listWrittenForHealth(at, 250)],
      [
        'health tick: a change (compare-and-set)',
        /^\s*update/i,
        () => jobs.recordHealth([{ jobId: 1, from: 'new', to: 'up' }], at),
      ],
    ],
  );
}
