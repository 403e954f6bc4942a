import { and, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Job, JobRun } from '../shared/models.js';
import type {
  JobChanges,
  JobRepository,
  JobRunRepository,
  KeysetWindow,
  NewJob,
  NewRun,
  RunChanges,
  RunExpectation,
  ArchivedFilter,
} from '../shared/repositories.js';
import type { Db } from './database.js';
import { jobRuns, jobs } from './schema.js';

// Writes use `await builder` (Drizzle runs `.all()` for RETURNING), never `.get()`: better-sqlite3
// leaves a `.get()` statement open, which blocks WAL checkpoints and lets the log grow unbounded.

const toRun = (row: typeof jobRuns.$inferSelect): JobRun => ({
  ...row,
  metadata: row.metadata ?? null,
});

const beforeId = (
  column: typeof jobs.id | typeof jobRuns.id,
  window: KeysetWindow,
): SQL | undefined => (window.beforeId === undefined ? undefined : lt(column, window.beforeId));

export class DrizzleJobRepository implements JobRepository {
  constructor(private readonly db: Db) {}

  async create(job: NewJob): Promise<Job> {
    const [row] = await this.db
      .insert(jobs)
      .values({
        name: job.name,
        description: job.description,
        type: job.type,
        createdAt: job.now,
        updatedAt: job.now,
      })
      .returning();
    if (!row) throw new Error('insert into jobs returned no row');
    return row;
  }

  async findById(id: number): Promise<Job | null> {
    const [row] = await this.db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
    return row ?? null;
  }

  async update(id: number, changes: JobChanges): Promise<Job | null> {
    const [row] = await this.db.update(jobs).set(changes).where(eq(jobs.id, id)).returning();
    return row ?? null;
  }

  async list(filter: { archived: ArchivedFilter } & KeysetWindow): Promise<Job[]> {
    const archived =
      filter.archived === 'all' ? undefined : eq(jobs.archived, filter.archived === 'true');
    return this.db
      .select()
      .from(jobs)
      .where(and(archived, beforeId(jobs.id, filter)))
      .orderBy(desc(jobs.id))
      .limit(filter.limit);
  }
}

export class DrizzleJobRunRepository implements JobRunRepository {
  constructor(private readonly db: Db) {}

  /**
   * `INSERT INTO job_runs (...) SELECT ... FROM jobs WHERE id = ? AND archived = 0 RETURNING *`:
   * the job check and the insert are one statement, so a job archived concurrently cannot gain a
   * run, and the hot path costs one round trip.
   */
  async createForActiveJob(run: NewRun): Promise<JobRun | null> {
    const metadata = run.metadata === null ? null : JSON.stringify(run.metadata);
    // Values in the table's insertable column order (id, job_id, status, created_at, started_at,
    // finished_at, error_message, metadata); duration_ms is generated.
    const rows = await this.db
      .insert(jobRuns)
      .select(
        sql`select null, ${jobs.id}, ${run.status}, ${run.createdAt.getTime()}, ${run.startedAt?.getTime() ?? null}, null, null, ${metadata} from ${jobs} where ${jobs.id} = ${run.jobId} and ${jobs.archived} = 0`,
      )
      .returning();
    return rows[0] ? toRun(rows[0]) : null;
  }

  async findById(id: number): Promise<JobRun | null> {
    const [row] = await this.db.select().from(jobRuns).where(eq(jobRuns.id, id)).limit(1);
    return row ? toRun(row) : null;
  }

  /** `UPDATE job_runs SET ... WHERE id = ? AND status IN (...) AND started_at = ? (or IS NULL) RETURNING *` */
  async updateIf(
    id: number,
    expected: RunExpectation,
    changes: RunChanges,
  ): Promise<JobRun | null> {
    const [row] = await this.db
      .update(jobRuns)
      .set(changes)
      .where(
        and(
          eq(jobRuns.id, id),
          inArray(jobRuns.status, [...expected.statuses]),
          expected.startedAt === null
            ? isNull(jobRuns.startedAt)
            : eq(jobRuns.startedAt, expected.startedAt),
        ),
      )
      .returning();
    return row ? toRun(row) : null;
  }

  async listByJob(filter: { jobId: number } & KeysetWindow): Promise<JobRun[]> {
    const rows = await this.db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.jobId, filter.jobId), beforeId(jobRuns.id, filter)))
      .orderBy(desc(jobRuns.id))
      .limit(filter.limit);
    return rows.map(toRun);
  }
}
