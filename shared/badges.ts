import type { JobHealth } from './job-health.js';
import { newPingKey } from './ping-secrets.js';

/**
 * Status badges (issue 27): `/badge/{badgeKey}/{jobKey}.svg` shows one job's name and health,
 * `/badge/{badgeKey}.svg` the project's jobs taken together. The badge key is a per-project,
 * read-only secret: it reveals a job's name and health and nothing else.
 */

/** 128 random bits as 32 lowercase hex digits, like a ping key. */
export const newBadgeKey = (): string => newPingKey();

/** A badge key as a URL may carry one; anything else is a 404 without a lookup. */
export const BADGE_KEY_PATTERN = /^[0-9a-f]{32}$/;

/** What a job badge shows: the job's name and its health now. */
export interface JobBadge {
  name: string;
  health: JobHealth;
}

/**
 * What the project badge shows: the worst health among its jobs that are not archived (down, then
 * late, then up, then new), with how many have it and how many there are. No such job: `worst`
 * is null. A paused (archived) job expects nothing, so it neither counts nor colours the badge.
 */
export interface ProjectBadge {
  worst: Exclude<JobHealth, 'paused'> | null;
  count: number;
  total: number;
}

const SEVERITY: Record<Exclude<JobHealth, 'paused'>, number> = { down: 3, late: 2, up: 1, new: 0 };

/** The project badge of these healths (see `ProjectBadge`). */
export function projectBadge(healths: readonly JobHealth[]): ProjectBadge {
  const counted = healths.filter((health) => health !== 'paused');
  let worst: ProjectBadge['worst'] = null;
  for (const health of counted)
    if (worst === null || SEVERITY[health] > SEVERITY[worst]) worst = health;
  return {
    worst,
    count: counted.filter((health) => health === worst).length,
    total: counted.length,
  };
}
