import type { ProjectScope } from '../shared/access.js';
import { jobKeyTaken } from '../shared/errors.js';
import type { IdempotencyClaim } from '../shared/idempotency.js';
import { healthMovesWithTime, jobHealth } from '../shared/job-health.js';
import type { Job, JobRun, Project, RunDetail } from '../shared/models.js';
import { heartbeatWriteIntervalMs } from '../shared/heartbeats.js';
import { newPingKey, newPingUuid } from '../shared/ping-secrets.js';
import type { JobListQuery, Keyset, RunListQuery, Sort } from '../shared/list-queries.js';
import { isTerminal, RUN_STATUSES, type RunStatus } from '../shared/run-status.js';
import { isSlow, slowThresholdMs } from '../shared/slow-runs.js';
import type {
  ApiKeyRecord,
  ApiKeyRepository,
  HealthChange,
  NewApiKey,
  ProjectRepository,
  WindowCounts,
  JobChanges,
  JobRepository,
  JobRunRepository,
  NewJob,
  NewRun,
  RunChanges,
  RunExpectation,
} from '../shared/repositories.js';
import type { MemoryIdempotencyRepository } from './memory-idempotency.js';

/**
 * In-memory stores (Maps) with the same contract as the Drizzle ones: fast service tests, and a
 * reference the repository contract suite holds both implementations to. Returns copies, so
 * callers can never mutate stored state by accident.
 */

type Key = number | string;

/** The same (key, id) keyset order and seek as the SQL repositories, over an array. */
function page<T extends { id: number }>(
  rows: Iterable<T>,
  keyOf: (row: T) => Key | null,
  sort: Sort<string>,
  after: Keyset | undefined,
  limit: number,
): T[] {
  const sign = sort.descending ? -1 : 1;
  const compare = (a: [Key, number], b: [Key, number]) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1];
  return [...rows]
    .filter((row) => keyOf(row) !== null)
    .filter((row) => !after || sign * compare([keyOf(row)!, row.id], [after.key, after.id]) > 0)
    .sort((a, b) => sign * compare([keyOf(a)!, a.id], [keyOf(b)!, b.id]))
    .slice(0, limit);
}

const within = (value: Date | null, from?: Date, to?: Date) =>
  (from === undefined || (value !== null && value >= from)) &&
  (to === undefined || (value !== null && value < to));

/** Whether a row of project `projectId` is visible in the scope. */
const inScope = (projectId: number, project: ProjectScope | undefined) =>
  project === null || project === undefined || projectId === project;

const copyJob = (job: Job): Job => ({
  ...job,
  createdAt: new Date(job.createdAt),
  updatedAt: new Date(job.updatedAt),
  healthChangedAt: job.healthChangedAt && new Date(job.healthChangedAt),
});

const copyRun = (run: RunDetail): RunDetail => ({
  ...run,
  createdAt: new Date(run.createdAt),
  startedAt: run.startedAt && new Date(run.startedAt),
  finishedAt: run.finishedAt && new Date(run.finishedAt),
  lastHeartbeatAt: run.lastHeartbeatAt && new Date(run.lastHeartbeatAt),
  metadata: run.metadata && structuredClone(run.metadata),
  durationMs:
    run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
});

/** A run as list pages and creates return it: without its output, as the SQL stores read it. */
const withoutOutput = ({ output: _output, ...run }: RunDetail): JobRun => run;

export class MemoryJobRepository implements JobRepository {
  readonly rows = new Map<number, Job>();
  private nextId = 1;
  /** A job's runs, as the SQL stores' subqueries read them; set by the run repository. */
  runsOf: (jobId: number) => JobRun[] = () => [];

  /** `claims`: the idempotency records a claimed create completes. */
  constructor(private readonly claims?: MemoryIdempotencyRepository) {}

  /** The (project, key) unique index: whether another job than `id` holds the key. */
  private keyTaken(projectId: number, key: string, id?: number): boolean {
    return [...this.rows.values()].some(
      (row) => row.projectId === projectId && row.key === key && row.id !== id,
    );
  }

  async create(job: NewJob, claim?: IdempotencyClaim): Promise<Job> {
    if (claim) this.claimsFor(claim).assertHeld(claim);
    if (this.keyTaken(job.projectId, job.key)) throw jobKeyTaken(job.key);
    const row: Job = {
      id: this.nextId++,
      projectId: job.projectId,
      key: job.key,
      name: job.name,
      description: job.description,
      type: job.type,
      archived: false,
      heartbeatTimeoutSeconds: job.heartbeatTimeoutSeconds ?? null,
      maxDurationSeconds: job.maxDurationSeconds ?? null,
      pendingTimeoutSeconds: job.pendingTimeoutSeconds ?? null,
      pingUuid: job.pingUuid ?? newPingUuid(),
      schedule: job.schedule ?? null,
      timezone: job.timezone ?? null,
      graceSeconds: job.graceSeconds ?? null,
      // As the SQL stores: recorded 'new' at creation (see migration 0008).
      recordedHealth: 'new',
      healthChangedAt: job.now,
      lastRunAt: null,
      lastFinishedStatus: null,
      createdAt: job.now,
      updatedAt: job.now,
    };
    this.rows.set(row.id, row);
    if (claim) this.claimsFor(claim).complete(claim, row.id);
    return this.present(row);
  }

  /** A copy of the row with the facts the SQL stores read from its runs. */
  private present(row: Job): Job {
    const runs = this.runsOf(row.id);
    const latest = (key: 'createdAt' | 'finishedAt') =>
      runs
        .filter((run) => run[key] !== null)
        .sort((a, b) => b[key]!.getTime() - a[key]!.getTime() || b.id - a.id)[0];
    const lastFinished = latest('finishedAt');
    return {
      ...copyJob(row),
      lastRunAt: latest('createdAt')?.createdAt ?? null,
      lastFinishedStatus: lastFinished?.status ?? null,
    };
  }

  /** As the SQL stores: jobs whose health moves with time, or whose runs' health is not recorded. */
  async listForHealth(afterId: number, limit: number): Promise<Job[]> {
    return [...this.rows.values()]
      .filter((row) => row.id > afterId)
      .sort((a, b) => a.id - b.id)
      .map((row) => this.present(row))
      .filter(
        (job) =>
          healthMovesWithTime(job) ||
          // Time plays no part for these: any `now` gives their health.
          jobHealth(job, new Date(0)).health !== job.recordedHealth,
      )
      .slice(0, limit);
  }

  async recordHealth(changes: readonly HealthChange[], at: Date): Promise<number[]> {
    const recorded: number[] = [];
    for (const { jobId, from, to } of changes) {
      const row = this.rows.get(jobId);
      if (!row || row.recordedHealth !== from) continue;
      this.rows.set(jobId, { ...row, recordedHealth: to, healthChangedAt: at });
      recorded.push(jobId);
    }
    return recorded;
  }

  /** The idempotency records a claimed create (of a job or of a run) completes. */
  claimsFor(claim: IdempotencyClaim): MemoryIdempotencyRepository {
    if (!this.claims) throw new Error(`claim ${claim.id}: this store has no idempotency records`);
    return this.claims;
  }

  async findByKey(projectId: number, key: string): Promise<Job | null> {
    const row = [...this.rows.values()].find(
      (job) => job.projectId === projectId && job.key === key,
    );
    return row ? this.present(row) : null;
  }

  async findByPingUuid(uuid: string): Promise<Job | null> {
    const row = [...this.rows.values()].find((job) => job.pingUuid === uuid);
    return row ? copyJob(row) : null;
  }

  async keysStartingWith(projectId: number, prefix: string): Promise<string[]> {
    return [...this.rows.values()]
      .filter((job) => job.projectId === projectId && job.key.startsWith(prefix))
      .map((job) => job.key);
  }

  async findById(id: number, project?: ProjectScope): Promise<Job | null> {
    const row = this.rows.get(id);
    return row && inScope(row.projectId, project) ? this.present(row) : null;
  }

  async exists(id: number, project?: ProjectScope): Promise<boolean> {
    const row = this.rows.get(id);
    return row !== undefined && inScope(row.projectId, project);
  }

  async update(id: number, changes: JobChanges, project?: ProjectScope): Promise<Job | null> {
    const row = this.rows.get(id);
    if (!row || !inScope(row.projectId, project)) return null;
    if (changes.key !== undefined && this.keyTaken(row.projectId, changes.key, id))
      throw jobKeyTaken(changes.key);
    const updated = { ...row, ...changes };
    this.rows.set(id, updated);
    return this.present(updated);
  }

  async list(query: JobListQuery): Promise<Job[]> {
    const q = query.q?.toLowerCase();
    const matches = [...this.rows.values()].filter(
      (job) =>
        inScope(job.projectId, query.projectId) &&
        (query.archived === 'all' || job.archived === (query.archived === 'true')) &&
        (query.type === undefined || job.type === query.type) &&
        (query.health === undefined ||
          (job.recordedHealth !== null && query.health.includes(job.recordedHealth))) &&
        (q === undefined || job.name.toLowerCase().includes(q)),
    );
    const keyOf = (job: Job) =>
      query.sort.field === 'name' ? job.name : job[query.sort.field].getTime();
    return page(matches, keyOf, query.sort, query.after, query.limit).map(copyJob);
  }
}

export class MemoryJobRunRepository implements JobRunRepository {
  private readonly rows = new Map<number, RunDetail>();
  private nextId = 1;

  /** A claimed create completes the idempotency records the jobs were given. */
  constructor(private readonly jobs: MemoryJobRepository) {
    jobs.runsOf = (jobId) => [...this.rows.values()].filter((run) => run.jobId === jobId);
  }

  async createForActiveJob(
    run: NewRun,
    project?: ProjectScope,
    claim?: IdempotencyClaim,
  ): Promise<JobRun | null> {
    if (claim) this.jobs.claimsFor(claim).assertHeld(claim);
    const job = this.jobs.rows.get(run.jobId);
    if (!job || job.archived || !inScope(job.projectId, project)) return null;
    const row: RunDetail = {
      id: this.nextId++,
      ...run,
      finishedAt: null,
      durationMs: null,
      errorMessage: null,
      exitCode: null,
      lastHeartbeatAt: null,
      slow: false,
      output: null,
    };
    this.rows.set(row.id, copyRun(row));
    if (claim) this.jobs.claimsFor(claim).complete(claim, row.id);
    return withoutOutput(copyRun(row));
  }

  private projectOf(jobId: number): number {
    return this.jobs.rows.get(jobId)?.projectId ?? -1;
  }

  async findById(id: number, project?: ProjectScope): Promise<RunDetail | null> {
    const row = this.rows.get(id);
    return row && inScope(this.projectOf(row.jobId), project) ? copyRun(row) : null;
  }

  async updateIf(
    id: number,
    expected: RunExpectation,
    changes: RunChanges,
  ): Promise<RunDetail | null> {
    const row = this.rows.get(id);
    if (!row || !expected.statuses.includes(row.status)) return null;
    if ((row.startedAt?.getTime() ?? null) !== (expected.startedAt?.getTime() ?? null)) return null;
    const updated = copyRun({ ...row, ...changes });
    // As the SQL stores do in the finishing UPDATE (db/slow-runs.ts): once set, slow stays.
    if (changes.status !== undefined && isTerminal(changes.status) && !row.slow) {
      updated.slow = isSlow(updated.durationMs, slowThresholdMs(this.latestDurations(row)));
    }
    this.rows.set(id, updated);
    return copyRun(updated);
  }

  /** The durations of `run`'s job's finished runs, newest finished first, `run` excluded. */
  private latestDurations(run: JobRun): number[] {
    return [...this.rows.values()]
      .filter((r) => r.jobId === run.jobId && r.id !== run.id && r.finishedAt !== null)
      .filter((r) => r.durationMs !== null)
      .sort((a, b) => b.finishedAt!.getTime() - a.finishedAt!.getTime() || b.id - a.id)
      .map((r) => r.durationMs!);
  }

  async list(query: RunListQuery): Promise<JobRun[]> {
    const typeOf = (jobId: number) => this.jobs.rows.get(jobId)?.type;
    const matches = [...this.rows.values()]
      .map((run) => withoutOutput(copyRun(run)))
      .filter(
        (run) =>
          (query.jobId === undefined || run.jobId === query.jobId) &&
          inScope(this.projectOf(run.jobId), query.projectId) &&
          (query.statuses === undefined || query.statuses.includes(run.status)) &&
          (query.jobType === undefined || typeOf(run.jobId) === query.jobType) &&
          within(run.createdAt, query.createdAfter, query.createdBefore) &&
          within(run.startedAt, query.startedAfter, query.startedBefore) &&
          within(run.finishedAt, query.finishedAfter, query.finishedBefore),
      );
    const field = query.sort.field;
    const keyOf = (run: JobRun) =>
      field === 'durationMs' ? run.durationMs : (run[field]?.getTime() ?? null);
    return page(matches, keyOf, query.sort, query.after, query.limit);
  }

  private inWindow(jobId: number, from: Date, to: Date): JobRun[] {
    return [...this.rows.values()]
      .map((run) => withoutOutput(copyRun(run)))
      .filter((run) => run.jobId === jobId && within(run.createdAt, from, to));
  }

  async windowStats(jobId: number, from: Date, to: Date): Promise<WindowCounts> {
    const runs = this.inWindow(jobId, from, to);
    const counts = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<
      RunStatus,
      number
    >;
    for (const run of runs) counts[run.status]++;
    const durations = runs.flatMap((run) => (run.durationMs === null ? [] : [run.durationMs]));
    return {
      counts,
      durationCount: durations.length,
      maxDurationMs: durations.length ? Math.max(...durations) : null,
    };
  }

  async durationAtRank(jobId: number, from: Date, to: Date, rank: number): Promise<number | null> {
    const durations = this.inWindow(jobId, from, to).flatMap((run) =>
      run.durationMs === null ? [] : [run.durationMs],
    );
    return durations.sort((a, b) => a - b)[rank] ?? null;
  }

  async recordHeartbeat(id: number, at: Date, project?: ProjectScope): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || !inScope(this.projectOf(row.jobId), project)) return false;
    if (row.status !== 'PENDING' && row.status !== 'RUNNING') return false;
    const job = this.jobs.rows.get(row.jobId);
    const interval = heartbeatWriteIntervalMs(job?.heartbeatTimeoutSeconds ?? null);
    if (row.lastHeartbeatAt && row.lastHeartbeatAt.getTime() > at.getTime() - interval)
      return false;
    this.rows.set(id, copyRun({ ...row, lastHeartbeatAt: at }));
    return true;
  }

  async latest(jobId: number, status?: RunStatus): Promise<JobRun | null> {
    const runs = [...this.rows.values()].filter(
      (run) => run.jobId === jobId && (status === undefined || run.status === status),
    );
    const newest = page(
      runs,
      (run) => run.createdAt.getTime(),
      { field: 'createdAt', descending: true },
      undefined,
      1,
    )[0];
    return newest ? withoutOutput(copyRun(newest)) : null;
  }
}

export class MemoryProjectRepository implements ProjectRepository {
  private readonly rows = new Map<number, Project>();
  private nextId = 1;

  /** Like migration 0002, starts with the `default` project (id 1). */
  constructor(now = new Date()) {
    void this.create('default', now, newPingKey());
  }

  async create(name: string, now: Date, pingKey: string): Promise<Project | null> {
    if ([...this.rows.values()].some((row) => row.name === name)) return null;
    const row = { id: this.nextId++, name, pingKey, createdAt: new Date(now) };
    this.rows.set(row.id, row);
    return { ...row, createdAt: new Date(row.createdAt) };
  }

  async findById(id: number): Promise<Project | null> {
    const row = this.rows.get(id);
    return row ? { ...row, createdAt: new Date(row.createdAt) } : null;
  }

  async findByPingKey(pingKey: string): Promise<Project | null> {
    const row = [...this.rows.values()].find((project) => project.pingKey === pingKey);
    return row ? { ...row, createdAt: new Date(row.createdAt) } : null;
  }

  async list(): Promise<Project[]> {
    return [...this.rows.values()].map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
  }
}

export class MemoryApiKeyRepository implements ApiKeyRepository {
  private readonly rows = new Map<number, ApiKeyRecord & { hash: string }>();
  private nextId = 1;

  private static copy({ hash: _hash, ...key }: ApiKeyRecord & { hash: string }): ApiKeyRecord {
    return { ...key };
  }

  async create(key: NewApiKey): Promise<ApiKeyRecord> {
    const row = { ...key, id: this.nextId++, lastUsedAt: null, revokedAt: null };
    this.rows.set(row.id, row);
    return MemoryApiKeyRepository.copy(row);
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    const row = [...this.rows.values()].find((key) => key.hash === hash);
    return row ? MemoryApiKeyRepository.copy(row) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return [...this.rows.values()].map(MemoryApiKeyRepository.copy);
  }

  async count(): Promise<number> {
    return this.rows.size;
  }

  async revoke(id: number, at: Date): Promise<ApiKeyRecord | null> {
    const row = this.rows.get(id);
    if (!row) return null;
    row.revokedAt ??= at;
    return MemoryApiKeyRepository.copy(row);
  }

  async touch(id: number, at: Date): Promise<void> {
    const row = this.rows.get(id);
    if (row && (row.lastUsedAt === null || row.lastUsedAt < at)) row.lastUsedAt = at;
  }
}
