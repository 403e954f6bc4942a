import type { Context } from 'hono';
import { isoTime } from '../../../shared/iso-time.js';
import type { JobRun, Page } from '../../../shared/models.js';
import type { AppEnv } from '../env.js';
import type { pageJson } from '../wire-primitives.js';
import type { runJson } from './presenters.js';

/**
 * A page of runs written as JSON text straight from the runs, the same bytes as
 * `JSON.stringify(pageJson(page, runJson))` without the intermediate objects or the generic walk
 * over them (docs/performance.md#hand-tuned-code; `run-json-text.test.ts` holds it to the plain
 * way over every field's edge values). The keys are written in `runJson`'s order.
 */
export function runPageText(page: Page<JobRun>): string {
  let text = '{"data":[';
  const runs = page.data;
  for (let i = 0; i < runs.length; i++) {
    if (i > 0) text += ',';
    text += runText(runs[i]!);
  }
  return `${text}],"nextCursor":${page.nextCursor === null ? 'null' : JSON.stringify(page.nextCursor)}}`;
}

/** JSON.stringify's number: `null` for NaN and the infinities, `0` for -0, else `String`. */
const numberText = (n: number | null) => (n === null || !Number.isFinite(n) ? 'null' : String(n));

const timeText = (date: Date | null) => (date === null ? 'null' : `"${isoTime(date)}"`);

/** Strings and objects go through JSON.stringify itself: escaping stays V8's. */
const valueText = (value: string | object | null) =>
  value === null ? 'null' : JSON.stringify(value);

function runText(run: JobRun): string {
  return (
    `{"id":${numberText(run.id)},"jobId":${numberText(run.jobId)},"status":${JSON.stringify(run.status)}` +
    `,"createdAt":${timeText(run.createdAt)},"startedAt":${timeText(run.startedAt)}` +
    `,"finishedAt":${timeText(run.finishedAt)},"durationMs":${numberText(run.durationMs)}` +
    `,"errorMessage":${valueText(run.errorMessage)},"metadata":${valueText(run.metadata)}` +
    `,"exitCode":${numberText(run.exitCode)},"lastHeartbeatAt":${timeText(run.lastHeartbeatAt)}` +
    `,"slow":${run.slow ? 'true' : 'false'}}`
  );
}

/**
 * The page as `c.json(pageJson(page, runJson), 200)` answers it (same body, same
 * `Content-Type: application/json`), typed as that call so the route's OpenAPI types still hold.
 */
export function runPageResponse(c: Context<AppEnv>, page: Page<JobRun>) {
  const response = c.body(runPageText(page), 200, JSON_CONTENT_TYPE);
  return response as unknown as ReturnType<typeof c.json<RunPageJson, 200>>;
}

type RunPageJson = ReturnType<typeof pageJson<JobRun, ReturnType<typeof runJson>>>;

/** What `c.json` sets (hono's `setDefaultContentType`), built once. */
const JSON_CONTENT_TYPE = { 'Content-Type': 'application/json' } as const;
