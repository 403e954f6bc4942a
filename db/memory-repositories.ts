import type { Job, JobRun } from '../shared/models.js';
import type {
  ArchivedFilter,
  JobChanges,
  JobRepository,
  JobRunRepository,
  KeysetWindow,
  NewJob,
  NewRun,
  RunChanges,
  RunExpectation,
} from '../shared/repositories.js';

/**
 * In-memory stores (Maps) with the same contract as the Drizzle ones: fast service tests, and a
 * reference the repository contract suite holds both implementations to. Returns copies, so
 * callers can never mutate stored state by accident.
 */

const newestFirst = <T extends { id: number }>(
  rows: Iterable<T>,
  window: KeysetWindow,
  keep: (row: T) => boolean,
): T[] =>
  [...rows]
    .filter((row) => keep(row) && (window.beforeId === undefined || row.id < window.beforeId))
    .sort((a, b) => b.id - a.id)
    .slice(0, window.limit);

const copyJob = (job: Job): Job => ({
  ...job,
  createdAt: new Date(job.createdAt),
  updatedAt: new Date(job.updatedAt),
});

const copyRun = (run: JobRun): JobRun => ({
  ...run,
  createdAt: new Date(run.createdAt),
  startedAt: run.startedAt && new Date(run.startedAt),
  finishedAt: run.finishedAt && new Date(run.finishedAt),
  metadata: run.metadata && structuredClone(run.metadata),
  durationMs:
    run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
});

export class MemoryJobRepository implements JobRepository {
  readonly rows = new Map<number, Job>();
  private nextId = 1;

  async create(job: NewJob): Promise<Job> {
    const row: Job = {
      id: this.nextId++,
      name: job.name,
      description: job.description,
      type: job.type,
      archived: false,
      createdAt: job.now,
      updatedAt: job.now,
    };
    this.rows.set(row.id, row);
    return copyJob(row);
  }

  async findById(id: number): Promise<Job | null> {
    const row = this.rows.get(id);
    return row ? copyJob(row) : null;
  }

  async update(id: number, changes: JobChanges): Promise<Job | null> {
    const row = this.rows.get(id);
    if (!row) return null;
    const updated = { ...row, ...changes };
    this.rows.set(id, updated);
    return copyJob(updated);
  }

  async list(filter: { archived: ArchivedFilter } & KeysetWindow): Promise<Job[]> {
    const keep = (job: Job) =>
      filter.archived === 'all' || job.archived === (filter.archived === 'true');
    return newestFirst(this.rows.values(), filter, keep).map(copyJob);
  }
}

export class MemoryJobRunRepository implements JobRunRepository {
  private readonly rows = new Map<number, JobRun>();
  private nextId = 1;

  constructor(private readonly jobs: MemoryJobRepository) {}

  async createForActiveJob(run: NewRun): Promise<JobRun | null> {
    const job = this.jobs.rows.get(run.jobId);
    if (!job || job.archived) return null;
    const row: JobRun = {
      id: this.nextId++,
      ...run,
      finishedAt: null,
      durationMs: null,
      errorMessage: null,
    };
    this.rows.set(row.id, copyRun(row));
    return copyRun(row);
  }

  async findById(id: number): Promise<JobRun | null> {
    const row = this.rows.get(id);
    return row ? copyRun(row) : null;
  }

  async updateIf(
    id: number,
    expected: RunExpectation,
    changes: RunChanges,
  ): Promise<JobRun | null> {
    const row = this.rows.get(id);
    if (!row || !expected.statuses.includes(row.status)) return null;
    if ((row.startedAt?.getTime() ?? null) !== (expected.startedAt?.getTime() ?? null)) return null;
    const updated = copyRun({ ...row, ...changes });
    this.rows.set(id, updated);
    return copyRun(updated);
  }

  async listByJob(filter: { jobId: number } & KeysetWindow): Promise<JobRun[]> {
    return newestFirst(this.rows.values(), filter, (run) => run.jobId === filter.jobId).map(
      copyRun,
    );
  }
}
