import { isoTime, isoTimeOrNull } from '../../../shared/iso-time.js';
import type { JobRun, RunDetail } from '../../../shared/models.js';
import type { JobRunJson, RunDetailJson } from './schemas.js';

/** Runs to their JSON form: timestamps as ISO-8601 UTC (`isoTime`, see jobs/presenters.ts). */
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
