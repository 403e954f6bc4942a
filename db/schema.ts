import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The one schema, for every runtime (better-sqlite3, D1, libSQL). Timestamps are integer epoch
 * milliseconds: compact, index-friendly and exact for durations.
 */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    description: text('description'),
    type: text('type'),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  // GET /jobs lists active (or archived) jobs newest first: a seek on (archived, id) serves a page.
  (t) => [index('jobs_archived_id_idx').on(t.archived, t.id)],
);

export const jobRuns = sqliteTable(
  'job_runs',
  {
    // AUTOINCREMENT: ids are never reused, so id order is creation order and cursors stay valid.
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    status: text('status', {
      enum: ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED'],
    }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    // Derived by SQLite, so it can never disagree with the timestamps it comes from.
    durationMs: integer('duration_ms').generatedAlwaysAs(sql`finished_at - started_at`, {
      mode: 'virtual',
    }),
    errorMessage: text('error_message'),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [
    // GET /jobs/:id/runs: newest first within one job, a seek on (job_id, id).
    index('job_runs_job_id_id_idx').on(t.jobId, t.id),
    check(
      'job_runs_status_check',
      sql`${t.status} IN ('PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED')`,
    ),
  ],
);

export type JobRow = typeof jobs.$inferSelect;
export type JobRunRow = typeof jobRuns.$inferSelect;
