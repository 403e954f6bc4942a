import type { JobHealth } from './job-health.js';
import type { RunStatus } from './run-status.js';

/**
 * What a list request asks the store for, after validation: filters, one sort, and a keyset
 * position. Every list is ordered by (sort key, id), so a page is a seek plus `limit` rows.
 */
export type ArchivedFilter = 'false' | 'true' | 'all';

export const JOB_SORT_FIELDS = ['createdAt', 'updatedAt', 'name'] as const;
export type JobSortField = (typeof JOB_SORT_FIELDS)[number];

export const RUN_SORT_FIELDS = ['createdAt', 'startedAt', 'finishedAt', 'durationMs'] as const;
export type RunSortField = (typeof RUN_SORT_FIELDS)[number];

export interface Sort<F extends string> {
  field: F;
  descending: boolean;
}

/** The last row of the previous page: its sort key and id. */
export interface Keyset {
  key: number | string;
  id: number;
}

export interface JobListQuery {
  /** Only this project's jobs (a project-scoped key), or every project's when absent. */
  projectId?: number;
  archived: ArchivedFilter;
  type?: string;
  /** Case-insensitive substring of the name. */
  q?: string;
  /** Only jobs whose recorded health (jobs.health, kept by the sweep) is one of these. */
  health?: JobHealth[];
  sort: Sort<JobSortField>;
  after?: Keyset;
  limit: number;
}

/** `*After` bounds are inclusive (>=), `*Before` bounds exclusive (<). */
export interface RunListQuery {
  /** Only runs of this project's jobs (a project-scoped key). */
  projectId?: number;
  jobId?: number;
  statuses?: RunStatus[];
  jobType?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  startedAfter?: Date;
  startedBefore?: Date;
  finishedAfter?: Date;
  finishedBefore?: Date;
  sort: Sort<RunSortField>;
  after?: Keyset;
  limit: number;
}

/** Parses `-name` / `name` into a sort. */
export function parseSort<F extends string>(value: F | `-${F}`): Sort<F> {
  return value.startsWith('-')
    ? { field: value.slice(1) as F, descending: true }
    : { field: value as F, descending: false };
}
