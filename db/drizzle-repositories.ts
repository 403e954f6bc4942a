import {
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  max,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { newPingUuid } from '../shared/ping-secrets.js';
import type { ProjectScope } from '../shared/access.js';
import { jobKeyTaken } from '../shared/errors.js';
import { HEARTBEAT_WRITE_INTERVAL_MS } from '../shared/heartbeats.js';
import type { IdempotencyClaim } from '../shared/idempotency.js';
import type { JobHealth } from '../shared/job-health.js';
import type { Job, JobRun, Project, RunDetail } from '../shared/models.js';
import type { JobListQuery, Keyset, RunListQuery, Sort } from '../shared/list-queries.js';
import { isTerminal, type RunStatus } from '../shared/run-status.js';
import { zeroCounts } from '../shared/run-stats.js';
import type {
  ApiKeyChanges,
  ApiKeyRecord,
  ApiKeyRepository,
  HealthChange,
  NewApiKey,
  ProjectChanges,
  ProjectDeletionSteps,
  ProjectRepository,
  JobChanges,
  JobRepository,
  JobRunRepository,
  NewJob,
  NewRun,
  RunChanges,
  RunExpectation,
  WindowCounts,
} from '../shared/repositories.js';
import { isUniqueViolation } from './constraint-errors.js';
import type { BatchStatement, Database, Db, Writes } from './database.js';
import { insertClaiming } from './idempotency.js';
import { DrizzleProjectDeletion } from './project-deletion.js';
import { PreparedQueries, type Bind } from './prepared.js';
import { finishedSlowSql } from './slow-runs.js';
import { HEALTH_MOVES_WITH_TIME, HEALTH_WITHOUT_TIME, LAST_FINISHED_STATUS } from './job-health.js';
import { apiKeys, jobMetrics, jobRuns, jobs, projects } from './schema.js';

// Writes use `await builder` (Drizzle runs `.all()` for RETURNING), never `.get()`: better-sqlite3
// leaves a `.get()` statement open, which blocks WAL checkpoints and lets the log grow unbounded.

const toRun = (row: Omit<typeof jobRuns.$inferSelect, 'output'>): JobRun => ({
  id: row.id,
  jobId: row.jobId,
  status: row.status,
  createdAt: row.createdAt,
  startedAt: row.startedAt,
  finishedAt: row.finishedAt,
  durationMs: row.durationMs,
  errorMessage: row.errorMessage,
  metadata: row.metadata ?? null,
  exitCode: row.exitCode,
  lastHeartbeatAt: row.lastHeartbeatAt,
  slow: row.slow,
});

const toRunDetail = (row: typeof jobRuns.$inferSelect): RunDetail => ({
  ...toRun(row),
  output: row.output,
});

const dateOrNull = (value: unknown) => (value === null ? null : new Date(value as number));

/** A job's columns, as the API shows them, and the facts its health is derived from. */
const JOB_COLUMNS = {
  id: jobs.id,
  projectId: jobs.projectId,
  key: jobs.key,
  name: jobs.name,
  description: jobs.description,
  type: jobs.type,
  archived: jobs.archived,
  heartbeatTimeoutSeconds: jobs.heartbeatTimeoutSeconds,
  maxDurationSeconds: jobs.maxDurationSeconds,
  pendingTimeoutSeconds: jobs.pendingTimeoutSeconds,
  pingUuid: jobs.pingUuid,
  schedule: jobs.schedule,
  timezone: jobs.timezone,
  graceSeconds: jobs.graceSeconds,
  recordedHealth: sql<JobHealth | null>`${jobs.health}`,
  healthChangedAt: jobs.healthChangedAt,
  // Health is derived from the runs: two lookups per job, each a seek into a per-job index
  // (job_runs_job_created_idx, job_runs_job_finished_idx). Correlated subqueries also work in
  // RETURNING, so a write returns the same job a read does.
  // Spelled out: Drizzle writes a single-table select's columns unqualified, which inside the
  // subquery would name job_runs' own columns.
  lastRunAt:
    sql<Date | null>`(SELECT max(r.created_at) FROM job_runs r WHERE r.job_id = "jobs"."id")`.mapWith(
      dateOrNull,
    ),
  lastFinishedStatus: LAST_FINISHED_STATUS,
  createdAt: jobs.createdAt,
  updatedAt: jobs.updatedAt,
};

/** A project's columns (the ping key is shown to admin keys only: functions/http/projects/routes.ts). */
const PROJECT_COLUMNS = {
  id: projects.id,
  name: projects.name,
  pingKey: projects.pingKey,
  badgeKey: projects.badgeKey,
  retentionDays: projects.retentionDays,
  createdAt: projects.createdAt,
};

/**
 * `jobs.key` is nullable in the schema only because SQLite cannot add a NOT NULL column in place:
 * migration 0004 gave every job one and the service always sets it, so a row's key is a string.
 */
const asJobs = (rows: Array<Omit<Job, 'key'> & { key: string | null }>) => rows as Job[];

/** The jobs' unique (project, key) index, as SQLite names its columns in a violation. */
const JOB_KEY_INDEX = ['jobs.project_id', 'jobs.key'] as const;

/** A run's columns in the order `runFromValues` reads them: never `output` (see RunDetail). */
const RUN_COLUMNS = {
  id: jobRuns.id,
  jobId: jobRuns.jobId,
  status: jobRuns.status,
  createdAt: jobRuns.createdAt,
  startedAt: jobRuns.startedAt,
  finishedAt: jobRuns.finishedAt,
  durationMs: jobRuns.durationMs,
  errorMessage: jobRuns.errorMessage,
  metadata: jobRuns.metadata,
  exitCode: jobRuns.exitCode,
  lastHeartbeatAt: jobRuns.lastHeartbeatAt,
  slow: jobRuns.slow,
};

/** Where a page row read with its job's run change counter (`listOfJob`) has it. */
const RUN_CHANGES_INDEX = Object.keys(RUN_COLUMNS).length;

/** One run read by itself: `RUN_COLUMNS` and then the output. */
const RUN_DETAIL_COLUMNS = { ...RUN_COLUMNS, output: jobRuns.output };

/**
 * A page row from the driver's raw values (`RUN_COLUMNS` order) to a run. Drizzle's own mapping
 * checks every column's kind and decoder for every row: on a 50-run page it cost more than
 * SQLite did to read the rows (docs/performance.md#hand-tuned-code).
 */
function runFromValues(row: unknown[]): JobRun {
  return {
    id: row[0] as number,
    jobId: row[1] as number,
    status: row[2] as RunStatus,
    createdAt: new Date(row[3] as number),
    startedAt: dateOrNull(row[4]),
    finishedAt: dateOrNull(row[5]),
    durationMs: row[6] as number | null,
    errorMessage: row[7] as string | null,
    metadata: row[8] === null ? null : (JSON.parse(row[8] as string) as Record<string, unknown>),
    exitCode: row[9] as number | null,
    lastHeartbeatAt: dateOrNull(row[10]),
    // Raw values skip the column's boolean decoder: SQLite hands back 0 or 1.
    slow: row[11] === 1 || row[11] === true,
  };
}

/** A single run's raw values (`RUN_DETAIL_COLUMNS` order), with its output. */
const runDetailFromValues = (row: unknown[]): RunDetail => ({
  ...runFromValues(row),
  output: row[12] as string | null,
});

/**
 * Keyset seek over (key, id) as a row value, `(key, id) < (?, ?)`: SQLite turns it into an index
 * range, so a deep page costs what the first one does (an OR of comparisons would not).
 */
function keysetAfter(
  key: SQLiteColumn,
  id: SQLiteColumn,
  sort: Sort<string>,
  after: Keyset | undefined,
  bind: Bind = literal,
): SQL | undefined {
  if (!after) return undefined;
  const [afterKey, afterId] = [bind('afterKey', after.key), bind('afterId', after.id)];
  return sort.descending
    ? sql`(${key}, ${id}) < (${afterKey}, ${afterId})`
    : sql`(${key}, ${id}) > (${afterKey}, ${afterId})`;
}

/** Inlines a value as a parameter of a one-off query (the `Bind` of queries not prepared). */
const literal: Bind = (_name, value) => sql`${value}`;
const placeholder = PreparedQueries.placeholder;
/** The value `jobInProject` and `runInProject` bind, when the scope is one project. */
const scopeValues = (project: ProjectScope | undefined) =>
  project === null || project === undefined ? {} : { project };

const orderBy = (key: SQLiteColumn, id: SQLiteColumn, sort: Sort<string>) =>
  sort.descending ? [desc(key), desc(id)] : [asc(key), asc(id)];

/** `%`, `_` and the escape character itself match literally in a user's search text. */
const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One status seeks the (status, created_at, id) index. Several statuses are a filter on the sort
 * index instead (unary `+`): an IN over an index prefix would sort every matching run per page.
 */
function statusFilter(statuses: RunStatus[] | undefined, bind: Bind): SQL | undefined {
  if (statuses === undefined) return undefined;
  if (statuses.length === 1) return eq(jobRuns.status, bind('status0', statuses[0]!));
  return sql`+${jobRuns.status} IN (${sql.join(
    statuses.map((status, i) => bind(`status${i}`, status)),
    sql`, `,
  )})`;
}

/**
 * The parameters of a run page's statement, by the names `list` binds them: which names are
 * present is the statement's shape, so a page fills in values without building any SQL.
 */
function runListValues(query: RunListQuery): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (query.jobId !== undefined) values.jobId = query.jobId;
  Object.assign(values, scopeValues(query.projectId));
  query.statuses?.forEach((status, i) => {
    values[`status${i}`] = status;
  });
  if (query.jobType !== undefined) values.jobType = query.jobType;
  const range = (name: string, from?: Date, to?: Date) => {
    if (from !== undefined) values[`${name}After`] = from.getTime();
    if (to !== undefined) values[`${name}Before`] = to.getTime();
  };
  range('created', query.createdAfter, query.createdBefore);
  range('started', query.startedAfter, query.startedBefore);
  range('finished', query.finishedAfter, query.finishedBefore);
  if (query.after) {
    values.afterKey = query.after.key;
    values.afterId = query.after.id;
  }
  values.limit = query.limit;
  return values;
}

/** `jobs.project_id = ?` when the caller is bound to a project; nothing when it sees all. */
const jobInProject = (project: ProjectScope | undefined, bind: Bind = literal) =>
  project === null || project === undefined
    ? undefined
    : eq(jobs.projectId, bind('project', project));

/** A run's job is in the project: a filter over the run index walk, like `jobType`. */
const runInProject = (db: Db, project: ProjectScope | undefined, bind: Bind) =>
  project === null || project === undefined
    ? undefined
    : sql`+${jobRuns.jobId} IN ${db
        .select({ id: jobs.id })
        .from(jobs)
        .where(eq(jobs.projectId, bind('project', project)))}`;

/** A run's column values as the driver stores them, for a prepared statement's parameters. */
const storedRunValue = (value: RunChanges[keyof RunChanges]) =>
  value instanceof Date
    ? value.getTime()
    : typeof value === 'object' && value !== null
      ? JSON.stringify(value)
      : value;

/** One job's runs created in [from, to): the stats window. */
const createdInWindow = (jobId: number, from: Date, to: Date) =>
  and(eq(jobRuns.jobId, jobId), gte(jobRuns.createdAt, from), lt(jobRuns.createdAt, to));

const JOB_SORT_COLUMNS = {
  createdAt: jobs.createdAt,
  updatedAt: jobs.updatedAt,
  name: jobs.name,
} as const;
const RUN_SORT_COLUMNS = {
  createdAt: jobRuns.createdAt,
  startedAt: jobRuns.startedAt,
  finishedAt: jobRuns.finishedAt,
  durationMs: jobRuns.durationMs,
} as const;

export class DrizzleJobRepository implements JobRepository {
  private readonly prepared = new PreparedQueries();

  private readonly db: Db;
  private readonly writes: Writes;

  constructor(database: Pick<Database, 'db' | 'writes'>) {
    this.db = database.db;
    this.writes = database.writes;
  }

  async create(job: NewJob, claim?: IdempotencyClaim): Promise<Job> {
    // ON CONFLICT DO NOTHING on the (project, key) index: a taken key returns no row, on every
    // driver, and nothing is thrown inside a group commit's batch (nor, with a claim, does the
    // claim's completion apply: it requires the insert to have inserted).
    const insert = () =>
      this.writes.db
        .insert(jobs)
        .values({
          projectId: job.projectId,
          key: job.key,
          name: job.name,
          description: job.description,
          type: job.type,
          heartbeatTimeoutSeconds: job.heartbeatTimeoutSeconds ?? null,
          maxDurationSeconds: job.maxDurationSeconds ?? null,
          pendingTimeoutSeconds: job.pendingTimeoutSeconds ?? null,
          pingUuid: job.pingUuid ?? newPingUuid(),
          schedule: job.schedule ?? null,
          timezone: job.timezone ?? null,
          graceSeconds: job.graceSeconds ?? null,
          // Recorded 'new' from the start: a first recording from NULL is the baseline after an
          // upgrade and notifies nothing (migration 0008), so a new job must not begin at NULL.
          health: 'new',
          healthChangedAt: job.now,
          createdAt: job.now,
          updatedAt: job.now,
        })
        .onConflictDoNothing({ target: [jobs.projectId, jobs.key] })
        .returning(JOB_COLUMNS);
    const [row] = asJobs(
      claim
        ? await insertClaiming(this.writes, { build: insert, run: () => insert().all() }, claim)
        : await this.writes.run(() => insert().all()),
    );
    if (!row) throw jobKeyTaken(job.key);
    return row;
  }

  /**
   * Prepared: every run page of one job starts with it. No LIMIT: the id is the primary key, and
   * Drizzle binds a limit as a parameter, which made this lookup several times slower in SQLite
   * (a literal LIMIT 1 costs nothing; docs/performance.md#hand-tuned-code).
   */
  async findById(id: number, project?: ProjectScope): Promise<Job | null> {
    const values = { id, ...scopeValues(project) };
    const query = this.prepared.get('findById', values, () =>
      this.db
        .select(JOB_COLUMNS)
        .from(jobs)
        .where(and(eq(jobs.id, placeholder('id')), jobInProject(project, placeholder)))
        .prepare(),
    );
    const [row] = asJobs(await query.all(values));
    return row ?? null;
  }

  /**
   * Whether the job exists in the scope: its primary key alone. A page of a job's runs needs
   * only that for its 404, where `findById` also derives health (two run lookups a page does not
   * need).
   */
  async exists(id: number, project?: ProjectScope): Promise<boolean> {
    const values = { id, ...scopeValues(project) };
    const query = this.prepared.get('exists', values, () =>
      this.db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.id, placeholder('id')), jobInProject(project, placeholder)))
        .prepare(),
    );
    return (await query.values(values)).length > 0;
  }

  async runChanges(id: number, project?: ProjectScope): Promise<number | null> {
    const values = { id, ...scopeValues(project) };
    const query = this.prepared.get('runChanges', values, () =>
      this.db
        .select({ changes: sql<number>`coalesce(${jobMetrics.runChanges}, 0)` })
        .from(jobs)
        .leftJoin(jobMetrics, eq(jobMetrics.jobId, jobs.id))
        .where(and(eq(jobs.id, placeholder('id')), jobInProject(project, placeholder)))
        .prepare(),
    );
    const [row] = await query.values(values);
    return row === undefined ? null : Number(row[0]);
  }

  /** Prepared, by the unique (project_id, key) index: every by-key request starts with it. */
  async findByKey(projectId: number, key: string): Promise<Job | null> {
    const values = { project: projectId, key };
    const query = this.prepared.get('findByKey', values, () =>
      this.db
        .select(JOB_COLUMNS)
        .from(jobs)
        .where(and(eq(jobs.projectId, placeholder('project')), eq(jobs.key, placeholder('key'))))
        .prepare(),
    );
    const [row] = asJobs(await query.all(values));
    return row ?? null;
  }

  /** By the unique ping_uuid index: every ping starts with it. */
  async findByPingUuid(uuid: string): Promise<Job | null> {
    const values = { uuid };
    const query = this.prepared.get('findByPingUuid', values, () =>
      this.db
        .select(JOB_COLUMNS)
        .from(jobs)
        .where(eq(jobs.pingUuid, placeholder('uuid')))
        .prepare(),
    );
    const [row] = asJobs(await query.all(values));
    return row ?? null;
  }

  /** A range over the (project_id, key) index: `key >= prefix AND key <= prefix || U+FFFF`. */
  async keysStartingWith(projectId: number, prefix: string): Promise<string[]> {
    const rows = await this.db
      .select({ key: jobs.key })
      .from(jobs)
      .where(
        and(
          eq(jobs.projectId, projectId),
          gte(jobs.key, prefix),
          // Keys are ASCII, so every key with the prefix sorts below prefix + U+FFFF.
          lte(jobs.key, `${prefix}\uffff`),
        ),
      );
    return rows.flatMap((row) => (row.key === null ? [] : [row.key]));
  }

  async update(id: number, changes: JobChanges, project?: ProjectScope): Promise<Job | null> {
    try {
      const [row] = asJobs(
        await this.writes.run(() =>
          this.writes.db
            .update(jobs)
            .set(changes)
            .where(and(eq(jobs.id, id), jobInProject(project)))
            .returning(JOB_COLUMNS)
            .all(),
        ),
      );
      return row ?? null;
    } catch (error) {
      // The one constraint an update can break: the new key is another job's.
      if (changes.key !== undefined && isUniqueViolation(error, JOB_KEY_INDEX))
        throw jobKeyTaken(changes.key);
      throw error;
    }
  }

  async list(query: JobListQuery): Promise<Job[]> {
    const key = JOB_SORT_COLUMNS[query.sort.field];
    const rows = await this.db
      .select(JOB_COLUMNS)
      .from(jobs)
      .where(
        and(
          jobInProject(query.projectId),
          query.archived === 'all' ? undefined : eq(jobs.archived, query.archived === 'true'),
          query.type === undefined ? undefined : eq(jobs.type, query.type),
          // The recorded health, so the filter is in the page's own query and paging stays exact.
          // Like `type` and `q`, it filters within the sort index's walk (jobs are few next to runs).
          query.health === undefined ? undefined : inArray(jobs.health, query.health),
          query.q === undefined
            ? undefined
            : sql`${jobs.name} LIKE ${likeContains(query.q)} ESCAPE '\\'`,
          keysetAfter(key, jobs.id, query.sort, query.after),
        ),
      )
      .orderBy(...orderBy(key, jobs.id, query.sort))
      .limit(query.limit);
    return asJobs(rows);
  }

  /**
   * One keyset page of the jobs the tick must derive: those whose health moves with time, and
   * the others whose health, computed here in SQL, differs from the one recorded. Prepared: the
   * same shape every page of every tick.
   */
  async listForHealth(afterId: number, limit: number): Promise<Job[]> {
    const { bind, values } = PreparedQueries.bindings();
    const where = and(
      gt(jobs.id, bind('afterId', afterId)),
      or(HEALTH_MOVES_WITH_TIME, sql`${jobs.health} IS NOT ${HEALTH_WITHOUT_TIME}`),
    );
    values.limit = limit;
    const query = this.prepared.get('listForHealth', values, () =>
      this.db
        .select(JOB_COLUMNS)
        .from(jobs)
        .where(where)
        .orderBy(asc(jobs.id))
        .limit(sql.placeholder('limit'))
        .prepare(),
    );
    return asJobs(await query.all(values));
  }

  /**
   * The scheduled jobs written since `since`: a range of jobs_updated_idx, each checked with
   * HEALTH_MOVES_WITH_TIME (one seek into its runs). Prepared like the tick's page.
   */
  async listWrittenForHealth(since: Date, limit: number): Promise<Job[]> {
    const { bind, values } = PreparedQueries.bindings();
    const where = and(gte(jobs.updatedAt, bind('since', since.getTime())), HEALTH_MOVES_WITH_TIME);
    values.limit = limit;
    const query = this.prepared.get('listWrittenForHealth', values, () =>
      this.db
        .select(JOB_COLUMNS)
        .from(jobs)
        .where(where)
        .orderBy(asc(jobs.updatedAt), asc(jobs.id))
        .limit(sql.placeholder('limit'))
        .prepare(),
    );
    return asJobs(await query.all(values));
  }

  /**
   * One batch of `UPDATE jobs SET health = ? ... WHERE id = ? AND health IS ?` (compare-and-set,
   * race-free): one round trip on D1 and libSQL, one group commit on better-sqlite3, where the
   * statement is prepared once and each change only binds its values.
   */
  async recordHealth(changes: readonly HealthChange[], at: Date): Promise<HealthChange[]> {
    const statements = changes.map(({ jobId, from, to }): BatchStatement => {
      const values: HealthWrite = { id: jobId, from, to, at: at.getTime() };
      return {
        build: () => healthWrite(this.writes.db, (name) => sql`${values[name]}`),
        run: () =>
          this.prepared
            .get('recordHealth', values, () => healthWrite(this.writes.db, placeholder).prepare())
            .all(values),
      };
    });
    const [first, ...rest] = statements;
    if (!first) return [];
    const results = await this.writes.batch([first, ...rest]);
    return changes.filter((_, i) => (results[i] as Array<{ id: number }>).length > 0);
  }
}

/** The values of one health write, as the driver stores them. */
type HealthWrite = {
  id: number;
  from: JobHealth | null;
  to: JobHealth;
  at: number;
};

/** A health change's compare-and-set UPDATE, its values bound by `bind` (inline or placeholders). */
const healthWrite = (db: Db, bind: (name: keyof HealthWrite) => SQL) =>
  db
    .update(jobs)
    .set({ health: sql`${bind('to')}`, healthChangedAt: sql`${bind('at')}` })
    .where(and(eq(jobs.id, sql`${bind('id')}`), sql`${jobs.health} IS ${bind('from')}`))
    .returning({ id: jobs.id });

/**
 * The hot statements (create, read and update a run, a page of runs) are prepared once per shape
 * and reused; writes go through `writes` (group commit on better-sqlite3).
 */
export class DrizzleJobRunRepository implements JobRunRepository {
  private readonly prepared = new PreparedQueries();

  private readonly db: Db;
  private readonly writes: Writes;

  constructor(database: Pick<Database, 'db' | 'writes'>) {
    this.db = database.db;
    this.writes = database.writes;
  }

  /**
   * `INSERT INTO job_runs (...) SELECT ... FROM jobs WHERE id = ? AND archived = 0 RETURNING *`:
   * the job check and the insert are one statement, so a job archived concurrently cannot gain a
   * run, and the hot path costs one round trip.
   */
  async createForActiveJob(
    run: NewRun,
    project?: ProjectScope,
    claim?: IdempotencyClaim,
  ): Promise<JobRun | null> {
    // Values in the table's insertable column order (id, job_id, status, created_at, started_at,
    // finished_at, error_message, metadata, exit_code, output, last_heartbeat_at, slow); duration_ms is
    // generated.
    const selected = (bind: Bind) =>
      sql`select null, ${jobs.id}, ${bind('status', run.status)}, ${bind('createdAt', run.createdAt.getTime())}, ${bind('startedAt', run.startedAt?.getTime() ?? null)}, null, null, ${bind('metadata', run.metadata === null ? null : JSON.stringify(run.metadata))}, null, null, null, 0 from ${jobs} where ${and(eq(jobs.id, bind('jobId', run.jobId)), eq(jobs.archived, false), jobInProject(project, bind))}`;
    const insert = (select: SQL) =>
      this.writes.db.insert(jobRuns).select(select).returning(RUN_COLUMNS);
    // In the order `selected` binds them (the shape's key lists the names).
    const values = {
      status: run.status,
      createdAt: run.createdAt.getTime(),
      startedAt: run.startedAt?.getTime() ?? null,
      metadata: run.metadata === null ? null : JSON.stringify(run.metadata),
      jobId: run.jobId,
      ...scopeValues(project),
    };
    const query = this.prepared.get('createForActiveJob', values, () =>
      insert(selected(placeholder)).prepare(),
    );
    const rows = claim
      ? await insertClaiming<Awaited<ReturnType<typeof query.all>>[number]>(
          this.writes,
          // A batch on D1 and libSQL sends built statements, with the values inlined.
          { build: () => insert(selected(literal)), run: () => query.all(values) },
          claim,
        )
      : await this.writes.run(() => query.all(values));
    return rows[0] ? toRun(rows[0]) : null;
  }

  async findById(id: number, project?: ProjectScope): Promise<RunDetail | null> {
    const values = { id, ...scopeValues(project) };
    // By primary key, so no LIMIT (see the jobs' findById); raw values, as run pages read them.
    const query = this.prepared.get('findById', values, () =>
      this.db
        .select(RUN_DETAIL_COLUMNS)
        .from(jobRuns)
        .where(and(eq(jobRuns.id, placeholder('id')), runInProject(this.db, project, placeholder)))
        .prepare(),
    );
    const [row] = (await query.values(values)) as unknown[][];
    return row ? runDetailFromValues(row) : null;
  }

  /** `UPDATE job_runs SET ... WHERE id = ? AND status IN (...) AND started_at = ? (or IS NULL) RETURNING *` */
  async updateIf(
    id: number,
    expected: RunExpectation,
    changes: RunChanges,
  ): Promise<RunDetail | null> {
    // Values first, in the order the statement binds them; its SQL is built once per shape.
    const values: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(changes)) values[column] = storedRunValue(value);
    values.id = id;
    expected.statuses.forEach((status, i) => {
      values[`expected${i}`] = status;
    });
    if (expected.startedAt !== null) values.expectedStartedAt = expected.startedAt.getTime();
    // Finishing sets `slow` in the same statement (db/slow-runs.ts): the run's new duration
    // against its job's recent p95, so run.slow is queued in the commit that finishes the run.
    const finishing = changes.status !== undefined && isTerminal(changes.status);
    const query = this.prepared.get(`updateIf:${finishing}`, values, () => {
      const set = Object.fromEntries(
        Object.keys(changes).map((column) => [column, placeholder(column)]),
      ) as Record<keyof RunChanges, SQL>;
      if (finishing) {
        const finishedAt = set.finishedAt ?? sql`"job_runs"."finished_at"`;
        const startedAt = set.startedAt ?? sql`"job_runs"."started_at"`;
        (set as Record<string, SQL>).slow = finishedSlowSql(sql`(${finishedAt} - ${startedAt})`);
      }
      const where = and(
        eq(jobRuns.id, placeholder('id')),
        sql`${jobRuns.status} IN (${sql.join(
          expected.statuses.map((_, i) => placeholder(`expected${i}`)),
          sql`, `,
        )})`,
        expected.startedAt === null
          ? isNull(jobRuns.startedAt)
          : eq(jobRuns.startedAt, placeholder('expectedStartedAt')),
      );
      return this.writes.db.update(jobRuns).set(set).where(where).returning().prepare();
    });
    const [row] = await this.writes.run(() => query.all(values));
    return row ? toRunDetail(row) : null;
  }

  async list(query: RunListQuery): Promise<JobRun[]> {
    return (await this.listValues(query, false)).map(runFromValues);
  }

  async listOfJob(
    query: RunListQuery & { jobId: number },
  ): Promise<{ runs: JobRun[]; runChanges: number | null }> {
    const rows = await this.listValues(query, true);
    const [first] = rows;
    return {
      runs: rows.map(runFromValues),
      runChanges: first === undefined ? null : Number(first[RUN_CHANGES_INDEX] ?? 0),
    };
  }

  /**
   * A page's raw rows (`RUN_COLUMNS` order), with the job's run change counter after them when
   * `withRunChanges` (an uncorrelated subquery: SQLite runs it once per statement, not per row).
   */
  private async listValues(query: RunListQuery, withRunChanges: boolean): Promise<unknown[][]> {
    const key = RUN_SORT_COLUMNS[query.sort.field];
    // The SQL is built once per shape (`runListValues` names which parameters it has).
    const values = runListValues(query);
    const shape = `list:${query.sort.field}:${query.sort.descending}:${withRunChanges}`;
    const prepared = this.prepared.get(shape, values, () => {
      const bind = placeholder;
      const range = (column: SQLiteColumn, name: string, from?: Date, to?: Date) => [
        from === undefined ? undefined : gte(column, bind(`${name}After`)),
        to === undefined ? undefined : lt(column, bind(`${name}Before`)),
      ];
      const where = and(
        query.jobId === undefined ? undefined : eq(jobRuns.jobId, bind('jobId')),
        runInProject(this.db, query.projectId, bind),
        statusFilter(query.statuses, bind),
        // A filter, not an index key (unary `+`): walking the sort index and skipping runs of
        // other types costs about limit / (share of runs of that type) rows per page, where
        // expanding the job list would sort every matching run on every page.
        query.jobType === undefined
          ? undefined
          : sql`+${jobRuns.jobId} IN ${this.db
              .select({ id: jobs.id })
              .from(jobs)
              .where(eq(jobs.type, bind('jobType')))}`,
        ...range(jobRuns.createdAt, 'created', query.createdAfter, query.createdBefore),
        ...range(jobRuns.startedAt, 'started', query.startedAfter, query.startedBefore),
        ...range(jobRuns.finishedAt, 'finished', query.finishedAfter, query.finishedBefore),
        // Sorting by a key that starts out null lists only rows that have it (and lets SQLite
        // use the partial index on that key).
        query.sort.field === 'createdAt' ? undefined : isNotNull(key),
        keysetAfter(key, jobRuns.id, query.sort, query.after, bind),
      );
      const columns = withRunChanges
        ? {
            ...RUN_COLUMNS,
            runChanges: sql<number>`(SELECT ${jobMetrics.runChanges} FROM ${jobMetrics} WHERE ${jobMetrics.jobId} = ${bind('jobId')})`,
          }
        : RUN_COLUMNS;
      return this.db
        .select(columns)
        .from(jobRuns)
        .where(where)
        .orderBy(...orderBy(key, jobRuns.id, query.sort))
        .limit(bind('limit') as unknown as number)
        .prepare();
    });
    return (await prepared.values(values)) as unknown[][];
  }

  async windowStats(jobId: number, from: Date, to: Date): Promise<WindowCounts> {
    const inWindow = createdInWindow(jobId, from, to);
    const [byStatus, [durations]] = await Promise.all([
      this.db
        .select({ status: jobRuns.status, n: count() })
        .from(jobRuns)
        .where(inWindow)
        .groupBy(jobRuns.status),
      this.db
        .select({ n: count(jobRuns.durationMs), max: max(jobRuns.durationMs) })
        .from(jobRuns)
        .where(and(inWindow, isNotNull(jobRuns.durationMs))),
    ]);
    const counts = zeroCounts();
    for (const row of byStatus) counts[row.status] = row.n;
    return { counts, durationCount: durations?.n ?? 0, maxDurationMs: durations?.max ?? null };
  }

  async durationAtRank(jobId: number, from: Date, to: Date, rank: number): Promise<number | null> {
    const [row] = await this.db
      .select({ durationMs: jobRuns.durationMs })
      .from(jobRuns)
      .where(and(createdInWindow(jobId, from, to), isNotNull(jobRuns.durationMs)))
      .orderBy(asc(jobRuns.durationMs))
      .limit(1)
      .offset(rank);
    return row?.durationMs ?? null;
  }

  async latest(jobId: number, status?: RunStatus): Promise<JobRun | null> {
    const [row] = await this.db
      .select(RUN_COLUMNS)
      .from(jobRuns)
      .where(
        and(
          eq(jobRuns.jobId, jobId),
          status === undefined ? undefined : eq(jobRuns.status, status),
        ),
      )
      .orderBy(desc(jobRuns.createdAt), desc(jobRuns.id))
      .limit(1);
    return row ? toRun(row) : null;
  }

  /**
   * `UPDATE job_runs SET last_heartbeat_at = ? WHERE id = ? AND status IN ('PENDING', 'RUNNING')
   * AND (last_heartbeat_at IS NULL OR last_heartbeat_at <= ? - <its job's write interval>)`: the
   * throttle is in the statement, so a client beating in a loop costs one write per interval and
   * a primary-key read otherwise. It sets no status, so the job_metrics triggers (AFTER UPDATE OF
   * status) do not fire at all. The project is checked by the run's own job (a primary-key
   * lookup), not by listing the project's jobs as the list filter does.
   */
  async recordHeartbeat(id: number, at: Date, project?: ProjectScope): Promise<boolean> {
    const { bind, values } = PreparedQueries.bindings();
    const now = bind('at', at.getTime());
    // heartbeatWriteIntervalMs (shared/heartbeats.ts) in SQL: min(5 s, a quarter of the timeout).
    const interval = sql`min(${sql.raw(String(HEARTBEAT_WRITE_INTERVAL_MS))}, coalesce((select ${jobs.heartbeatTimeoutSeconds} from ${jobs} where ${jobs.id} = ${jobRuns.jobId}) * 250, ${sql.raw(String(HEARTBEAT_WRITE_INTERVAL_MS))}))`;
    const where = and(
      eq(jobRuns.id, bind('id', id)),
      sql`${jobRuns.status} in ('PENDING', 'RUNNING')`,
      sql`(${jobRuns.lastHeartbeatAt} is null or ${jobRuns.lastHeartbeatAt} <= ${now} - ${interval})`,
      project === null || project === undefined
        ? undefined
        : sql`exists (select 1 from ${jobs} where ${jobs.id} = ${jobRuns.jobId} and ${jobs.projectId} = ${bind('project', project)})`,
    );
    const query = this.prepared.get('recordHeartbeat', values, () =>
      this.writes.db
        .update(jobRuns)
        .set({ lastHeartbeatAt: now })
        .where(where)
        .returning({ id: jobRuns.id })
        .prepare(),
    );
    const rows = await this.writes.run(() => query.all(values));
    return rows.length > 0;
  }
}

export class DrizzleProjectRepository implements ProjectRepository {
  private readonly db: Db;
  private readonly writes: Writes;
  readonly deletion: ProjectDeletionSteps;

  constructor(database: Pick<Database, 'db' | 'writes'>) {
    this.db = database.db;
    this.writes = database.writes;
    this.deletion = new DrizzleProjectDeletion(database);
  }

  async create(name: string, now: Date, pingKey: string): Promise<Project | null> {
    // ON CONFLICT DO NOTHING: a taken name returns no row, on every driver, without a race.
    const [row] = await this.writes.run(() =>
      this.writes.db
        .insert(projects)
        .values({ name, pingKey, createdAt: now })
        .onConflictDoNothing({ target: projects.name })
        .returning(PROJECT_COLUMNS)
        .all(),
    );
    return row ?? null;
  }

  findById(id: number): Promise<Project | null> {
    return this.findOne(eq(projects.id, id));
  }

  findByPingKey(pingKey: string): Promise<Project | null> {
    return this.findOne(eq(projects.pingKey, pingKey));
  }

  findByBadgeKeyHash(hash: string): Promise<Project | null> {
    return this.findOne(eq(projects.badgeKeyHash, hash));
  }

  /** The one project a unique column's value names. */
  private async findOne(where: SQL): Promise<Project | null> {
    const [row] = await this.db.select(PROJECT_COLUMNS).from(projects).where(where).limit(1);
    return row ?? null;
  }

  async setBadgeKey(id: number, badgeKey: string, badgeKeyHash: string): Promise<Project | null> {
    const [row] = await this.writes.run(() =>
      this.writes.db
        .update(projects)
        .set({ badgeKey, badgeKeyHash })
        .where(eq(projects.id, id))
        .returning(PROJECT_COLUMNS)
        .all(),
    );
    return row ?? null;
  }

  async list(): Promise<Project[]> {
    return this.db.select(PROJECT_COLUMNS).from(projects).orderBy(asc(projects.id));
  }

  async update(id: number, changes: ProjectChanges): Promise<Project | null> {
    if (Object.keys(changes).length === 0) return this.findById(id);
    // ON CONFLICT DO NOTHING has no UPDATE form: a taken name is the unique index's error,
    // answered as null like a missing project is, after the caller checked it exists.
    try {
      const [row] = await this.writes.run(() =>
        this.writes.db
          .update(projects)
          .set(changes)
          .where(eq(projects.id, id))
          .returning(PROJECT_COLUMNS)
          .all(),
      );
      return row ?? null;
    } catch (error) {
      if (isUniqueViolation(error, ['projects.name'])) return null;
      throw error;
    }
  }

  async runsKept(id: number): Promise<{ count: number; oldestAt: Date | null }> {
    // Per job, through job_runs_job_created_idx: a count of its index range, and its first entry.
    const [row] = await this.db.all<{ count: number | null; oldest: number | null }>(sql`
      SELECT sum((SELECT count(*) FROM job_runs r WHERE r.job_id = j.id)) AS count,
        min((SELECT min(r.created_at) FROM job_runs r WHERE r.job_id = j.id)) AS oldest
      FROM jobs j WHERE j.project_id = ${id}`);
    return {
      count: Number(row?.count ?? 0),
      oldestAt: row?.oldest == null ? null : new Date(Number(row.oldest)),
    };
  }
}

const KEY_COLUMNS = {
  id: apiKeys.id,
  prefix: apiKeys.prefix,
  name: apiKeys.name,
  scope: apiKeys.scope,
  projectId: apiKeys.projectId,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  expiresAt: apiKeys.expiresAt,
};

/** Never selects `hash`: what leaves this class cannot leak it. */
export class DrizzleApiKeyRepository implements ApiKeyRepository {
  private readonly db: Db;
  private readonly writes: Writes;

  constructor(database: Pick<Database, 'db' | 'writes'>) {
    this.db = database.db;
    this.writes = database.writes;
  }

  async create(key: NewApiKey): Promise<ApiKeyRecord> {
    const [row] = await this.writes.run(() =>
      this.writes.db.insert(apiKeys).values(key).returning(KEY_COLUMNS).all(),
    );
    if (!row) throw new Error('insert into api_keys returned no row');
    return row;
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    const [row] = await this.db
      .select(KEY_COLUMNS)
      .from(apiKeys)
      .where(eq(apiKeys.hash, hash))
      .limit(1);
    return row ?? null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.db.select(KEY_COLUMNS).from(apiKeys).orderBy(asc(apiKeys.id));
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(apiKeys);
    return row?.n ?? 0;
  }

  async revoke(id: number, at: Date): Promise<ApiKeyRecord | null> {
    const [row] = await this.writes.run(() =>
      this.writes.db
        .update(apiKeys)
        .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${at.getTime()})` })
        .where(eq(apiKeys.id, id))
        .returning(KEY_COLUMNS)
        .all(),
    );
    return row ?? null;
  }

  async update(id: number, changes: ApiKeyChanges): Promise<ApiKeyRecord | null> {
    if (Object.keys(changes).length === 0) {
      const [row] = await this.db.select(KEY_COLUMNS).from(apiKeys).where(eq(apiKeys.id, id));
      return row ?? null;
    }
    const [row] = await this.writes.run(() =>
      this.writes.db
        .update(apiKeys)
        .set(changes)
        .where(eq(apiKeys.id, id))
        .returning(KEY_COLUMNS)
        .all(),
    );
    return row ?? null;
  }

  async touch(id: number, at: Date): Promise<void> {
    await this.writes.run(() =>
      this.writes.db
        .update(apiKeys)
        .set({ lastUsedAt: at })
        .where(
          and(
            eq(apiKeys.id, id),
            sql`(${apiKeys.lastUsedAt} IS NULL OR ${apiKeys.lastUsedAt} < ${at.getTime()})`,
          ),
        )
        .run(),
    );
  }
}
