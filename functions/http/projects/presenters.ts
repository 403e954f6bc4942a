import { isoTime } from '../../../shared/iso-time.js';
import type { Project } from '../../../shared/models.js';
import type { ProjectDetail } from '../../../shared/services/project-service.js';

/** The ping key is a write secret of every job of the project: admin keys only see it. */
export const projectJson = (project: Project, admin: boolean) => ({
  id: project.id,
  name: project.name,
  ...(admin ? { pingKey: project.pingKey } : {}),
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
