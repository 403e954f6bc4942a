import type { Context } from 'hono';
import type { ProjectScope } from '../../../shared/access.js';
import type { JobRun, Page } from '../../../shared/models.js';
import { noneMatch, setTag } from '../conditional.js';
import type { AppEnv } from '../env.js';
import { setNextLink } from '../wire-primitives.js';
import { runsPageTag } from './presenters.js';
import { runPageResponse } from './run-json-text.js';

/**
 * Whether a conditional request's `If-None-Match` names the job's runs as they are now: one
 * counter read, and no run read, for a poll that gets its 304. A request without the header skips
 * it, since its page reads the counter in the page's own statement (`RunService.listOfJob`).
 */
export async function runsPageUnchanged(
  c: Context<AppEnv>,
  jobId: number,
  scope: ProjectScope,
): Promise<boolean> {
  const ifNoneMatch = c.req.header('If-None-Match');
  if (ifNoneMatch === undefined) return false;
  const tag = runsPageTag(jobId, await c.get('services').runs.runsVersion(jobId, scope));
  if (!noneMatch(ifNoneMatch, tag)) return false;
  // The 304 carries the tag; a full page sets the one read beside its rows instead.
  setTag(c, tag);
  return true;
}

/** A job's runs page with the tag of the counter read beside its rows, and its `Link`. */
export function jobRunsPageResponse(
  c: Context<AppEnv>,
  jobId: number,
  read: { page: Page<JobRun>; runChanges: number },
) {
  setTag(c, runsPageTag(jobId, read.runChanges));
  setNextLink(c, read.page.nextCursor);
  return runPageResponse(c, read.page);
}
