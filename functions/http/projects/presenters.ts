import { isoTime } from '../../../shared/iso-time.js';
import type { Project } from '../../../shared/models.js';
import type { ProjectDetail } from '../../../shared/services/project-service.js';

/**
 * The ping key is a write secret of every job of the project, and the badge key (read-only) is
 * kept for the places an admin chooses to embed badges: admin keys only see them.
 */
export const projectJson = (project: Project, admin: boolean) => ({
  id: project.id,
  name: project.name,
  ...(admin ? { pingKey: project.pingKey, badgeKey: project.badgeKey } : {}),
  retentionDays: project.retentionDays,
  createdAt: isoTime(project.createdAt),
});

export const projectDetailJson = (detail: ProjectDetail, admin: boolean) => ({
  ...projectJson(detail.project, admin),
  effectiveRetentionDays: detail.effectiveRetentionDays,
  runs: {
    count: detail.runs.count,
    oldestAt: detail.runs.oldestAt ? isoTime(detail.runs.oldestAt) : null,
  },
});
