import type { RunStatus } from './run-status.js';

export type Metadata = Record<string, unknown>;

export interface Job {
  id: number;
  projectId: number;
  name: string;
  description: string | null;
  type: string | null;
  archived: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface JobRun {
  id: number;
  jobId: number;
  status: RunStatus;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** finishedAt - startedAt, derived by the store; null until both are known. */
  durationMs: number | null;
  errorMessage: string | null;
  metadata: Metadata | null;
}

/** One page of a newest-first list; `nextCursor` is null on the last page. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** A tenant: every job belongs to exactly one. */
export interface Project {
  id: number;
  name: string;
  createdAt: Date;
}
