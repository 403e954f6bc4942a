import { isoTime, isoTimeOrNull } from '../../../shared/iso-time.js';
import type { JobRun, RunDetail } from '../../../shared/models.js';
import type { JobRunJson, RunDetailJson } from './schemas.js';
import { weakTag } from '../conditional.js';

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

/**
 * A page of one job's runs is tagged with the job's run change counter, bumped by every write to
 * its runs: a poll whose `If-None-Match` names it gets a 304 before any run is read.
 */
export const runsPageTag = (jobId: number, runChanges: number) =>
  weakTag('runs', jobId, runChanges);

/** What the runs pages' descriptions say of it. */
export const RUNS_PAGE_ETAG =
  "Answers carry an `ETag` that changes with any write to the job's runs; `If-None-Match` with it gets a 304 without the page being read.";
