import type { JobBadge, ProjectBadge } from '../../../shared/badges.js';
import type { JobHealth } from '../../../shared/job-health.js';
import type { Badge, BadgeColor } from './svg.js';

/** up green, late amber, down red, paused and new grey (issue 27). */
const COLOR_BY_HEALTH: Record<JobHealth, BadgeColor> = {
  up: 'brightgreen',
  late: 'yellow',
  down: 'red',
  paused: 'lightgrey',
  new: 'lightgrey',
};

/** The label of the project badge: the project's name is not a badge's to reveal. */
export const PROJECT_BADGE_LABEL = 'jobs';

/** A job's badge: its name, and its health in its colour. */
export const jobBadge = (job: JobBadge): Badge => ({
  label: job.name,
  message: job.health,
  color: COLOR_BY_HEALTH[job.health],
});

/**
 * The project's badge: the worst health of its jobs that are not archived, with how many of them
 * have it (`2/7 down`, `7/7 up`); `no jobs` in grey when none is left.
 */
export const projectBadge = (project: ProjectBadge): Badge =>
  project.worst === null
    ? { label: PROJECT_BADGE_LABEL, message: 'no jobs', color: 'lightgrey' }
    : {
        label: PROJECT_BADGE_LABEL,
        message: `${project.count}/${project.total} ${project.worst}`,
        color: COLOR_BY_HEALTH[project.worst],
      };

/** shields.io's endpoint format (https://shields.io/badges/endpoint-badge), so it can restyle it. */
export const endpointJson = (badge: Badge) => ({
  schemaVersion: 1 as const,
  label: badge.label,
  message: badge.message,
  color: badge.color,
});
