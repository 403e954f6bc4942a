import type { JobHealth } from './job-health.js';
import type { RunStatus } from './run-status.js';

export type Metadata = Record<string, unknown>;

export interface Job {
  id: number;
  projectId: number;
  /** Unique within the project: see shared/job-keys.ts. */
  key: string;
  name: string;
  description: string | null;
  type: string | null;
  archived: boolean;
  /** Limits the sweeper enforces on the job's runs, in seconds; null: no limit. */
  heartbeatTimeoutSeconds: number | null;
  maxDurationSeconds: number | null;
  pendingTimeoutSeconds: number | null;
  /** The secret of the job's Healthchecks-style ping URL `/ping/{pingUuid}`. */
  pingUuid: string | null;
  /** When a run is expected (shared/schedules.ts), its IANA time zone (null: UTC) and grace. */
  schedule: string | null;
  timezone: string | null;
  graceSeconds: number | null;
  /** The health the sweep last recorded (null before the first), and since when. */
  recordedHealth: JobHealth | null;
  healthChangedAt: Date | null;
  /** Read from the job's runs: when its latest run was recorded, the latest finished one's status. */
  lastRunAt: Date | null;
  lastFinishedStatus: RunStatus | null;
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
  /** A wrapped command's exit code; null while unknown (or for a signal). */
  exitCode: number | null;
  /** The last heartbeat written (at most one per run every few seconds); null before any. */
  lastHeartbeatAt: Date | null;
  /**
   * Took (or, still RUNNING, has taken) more than 3x its job's p95 over the job's last 50
   * finished runs (shared/slow-runs.ts). Set when the run finishes, or by the sweep while it
   * runs; once true it stays true.
   */
  slow: boolean;
}

/**
 * One run as read by itself: with the tail of its output, which list pages never carry (it can
 * be 64 K characters per run, and a page is read on every dashboard refresh).
 */
export interface RunDetail extends JobRun {
  output: string | null;
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
  /** The secret of the slug ping form `/ping/{pingKey}/{jobKey}`: shown to admin keys only. */
  pingKey: string | null;
  /**
   * The read-only secret of its status badges `/badge/{badgeKey}/...` (shared/badges.ts): shown to
   * admin keys only; null until an admin turns badges on.
   */
  badgeKey: string | null;
  /** Days its finished runs are kept; null follows the server's RUN_RETENTION_DAYS. */
  retentionDays: number | null;
  createdAt: Date;
}

/** One bar of a job's strip of recent runs. */
export type RecentRun = Pick<JobRun, 'id' | 'jobId' | 'status' | 'createdAt' | 'durationMs'>;
