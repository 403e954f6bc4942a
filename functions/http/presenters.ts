import type { Scope } from '../../shared/access.js';
import { isoTime, isoTimeOrNull } from '../../shared/iso-time.js';
import { jobHealth, type HealthState } from '../../shared/job-health.js';
import type { Job, JobRun, Page, RunDetail } from '../../shared/models.js';
import type { JobJson, JobRunJson, JobStatsJson, RunDetailJson } from './schemas.js';
import type { JobStats } from '../../shared/services/run-service.js';

/**
 * Domain objects to their JSON form: timestamps as ISO-8601 UTC
 * (`isoTime`: `toISOString`'s string, cheaper; a page formats ~150 of them). A job's ping UUID records runs
 * without a key, so a read key sees null there (as Healthchecks' read-only keys see no ping URL).
 * `now`: the services' clock, which the derived health is computed at.
 */
export const jobJson = (job: Job, scope: Scope, now: Date): JobJson => ({
  id: job.id,
  projectId: job.projectId,
  key: job.key,
  name: job.name,
  description: job.description,
  type: job.type,
  archived: job.archived,
  heartbeatTimeoutSeconds: job.heartbeatTimeoutSeconds,
  maxDurationSeconds: job.maxDurationSeconds,
  pendingTimeoutSeconds: job.pendingTimeoutSeconds,
  pingUuid: scope === 'read' ? null : job.pingUuid,
  pingUrl: scope === 'read' || job.pingUuid === null ? null : `/ping/${job.pingUuid}`,
  schedule: job.schedule,
  timezone: job.timezone,
  graceSeconds: job.graceSeconds,
  ...healthJson(jobHealth(job, now)),
  lastRunAt: isoTimeOrNull(job.lastRunAt),
  createdAt: isoTime(job.createdAt),
  updatedAt: isoTime(job.updatedAt),
});

const healthJson = (state: HealthState) => ({
  health: state.health,
  nextExpectedAt: isoTimeOrNull(state.nextExpectedAt),
});

export const runJson = (run: JobRun): JobRunJson => ({
  id: run.id,
  jobId: run.jobId,
  status: run.status,
  createdAt: isoTime(run.createdAt),
  startedAt: isoTimeOrNull(run.startedAt),
  finishedAt: isoTimeOrNull(run.finishedAt),
  durationMs: run.durationMs,
  errorMessage: run.errorMessage,
  metadata: run.metadata,
  exitCode: run.exitCode,
  lastHeartbeatAt: isoTimeOrNull(run.lastHeartbeatAt),
  slow: run.slow,
});

/** A run read by itself: never a page's item (whose runs have no output). */
export const runDetailJson = (run: RunDetail): RunDetailJson => ({
  ...runJson(run),
  output: run.output,
});

export const pageJson = <T, J>(page: Page<T>, present: (item: T) => J) => ({
  data: page.data.map(present),
  nextCursor: page.nextCursor,
});

export const statsJson = (stats: JobStats): JobStatsJson => ({
  ...stats,
  from: isoTime(stats.from),
  to: isoTime(stats.to),
  lastRun: stats.lastRun && runJson(stats.lastRun),
  lastSuccess: stats.lastSuccess && runJson(stats.lastSuccess),
  lastFailure: stats.lastFailure && runJson(stats.lastFailure),
});
