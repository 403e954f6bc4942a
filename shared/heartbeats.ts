/**
 * Heartbeats and lost runs: the rules shared by the repositories (which put them in SQL) and the
 * services.
 */

/** A run's heartbeat is written at most this often, whatever the client sends. */
export const HEARTBEAT_WRITE_INTERVAL_MS = 5000;

/**
 * The write interval for a run of a job with `heartbeatTimeoutSeconds`: 5 s, or a quarter of the
 * timeout when that is shorter. A heartbeat that is accepted but not written leaves the stored one
 * up to an interval old, so the interval must stay well inside the timeout, or a run that beats
 * every second would still be swept as "heartbeat lost" under a 2-second limit.
 */
export const heartbeatWriteIntervalMs = (heartbeatTimeoutSeconds: number | null): number =>
  Math.min(HEARTBEAT_WRITE_INTERVAL_MS, (heartbeatTimeoutSeconds ?? Infinity) * 250);

/** The `errorMessage` the sweeper gives a run it fails, by the limit that passed. */
export const LOST_RUN_REASONS = {
  /** RUNNING, and heartbeatTimeoutSeconds passed since max(startedAt, lastHeartbeatAt). */
  heartbeat: 'heartbeat lost',
  /** RUNNING, and maxDurationSeconds passed since startedAt. */
  duration: 'timed out',
  /** PENDING, and pendingTimeoutSeconds passed since createdAt. */
  pending: 'never started',
} as const;

export type LostRunReason = (typeof LOST_RUN_REASONS)[keyof typeof LOST_RUN_REASONS];

/** A run the sweeper failed, as its one statement returned it. */
export interface SweptRun {
  runId: number;
  jobId: number;
  reason: LostRunReason;
}

/** How many runs one sweep statement fails at most: a sweep loops until a batch comes back short. */
export const SWEEP_BATCH_SIZE = 500;
