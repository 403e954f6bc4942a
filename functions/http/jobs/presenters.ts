import type { Scope } from '../../../shared/access.js';
import type { PublicLinks } from '../../../shared/links.js';
import { isoTime, isoTimeOrNull } from '../../../shared/iso-time.js';
import { jobHealth, type HealthState } from '../../../shared/job-health.js';
import type { Job } from '../../../shared/models.js';
import type { JobJson } from './schemas.js';

/**
 * Domain objects to their JSON form: timestamps as ISO-8601 UTC
 * (`isoTime`: `toISOString`'s string, cheaper; a page formats ~150 of them). A job's ping UUID records runs
 * without a key, so a read key sees null there (as Healthchecks' read-only keys see no ping URL).
 * `now`: the services' clock, which the derived health is computed at. `links`: the services'
 * (PUBLIC_URL), which make `pingUrl` absolute when it is set.
 */
export const jobJson = (job: Job, scope: Scope, now: Date, links: PublicLinks): JobJson => ({
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
  pingUrl: scope === 'read' || job.pingUuid === null ? null : links.ping(job.pingUuid),
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
