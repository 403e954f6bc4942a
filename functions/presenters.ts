import type { Job, JobRun, Page } from '../shared/models.js';
import type { JobJson, JobRunJson, JobStatsJson } from './schemas.js';
import type { JobStats } from '../shared/services/run-service.js';

/** Domain objects to their JSON form: timestamps as ISO-8601 UTC. */
export const jobJson = (job: Job): JobJson => ({
  id: job.id,
  projectId: job.projectId,
  name: job.name,
  description: job.description,
  type: job.type,
  archived: job.archived,
  createdAt: job.createdAt.toISOString(),
  updatedAt: job.updatedAt.toISOString(),
});

export const runJson = (run: JobRun): JobRunJson => ({
  id: run.id,
  jobId: run.jobId,
  status: run.status,
  createdAt: run.createdAt.toISOString(),
  startedAt: run.startedAt?.toISOString() ?? null,
  finishedAt: run.finishedAt?.toISOString() ?? null,
  durationMs: run.durationMs,
  errorMessage: run.errorMessage,
  metadata: run.metadata,
});

export const pageJson = <T, J>(page: Page<T>, present: (item: T) => J) => ({
  data: page.data.map(present),
  nextCursor: page.nextCursor,
});

export const statsJson = (stats: JobStats): JobStatsJson => ({
  ...stats,
  from: stats.from.toISOString(),
  to: stats.to.toISOString(),
  lastRun: stats.lastRun && runJson(stats.lastRun),
  lastSuccess: stats.lastSuccess && runJson(stats.lastSuccess),
  lastFailure: stats.lastFailure && runJson(stats.lastFailure),
});
