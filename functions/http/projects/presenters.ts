import { isoTime } from '../../../shared/iso-time.js';
import type { Project } from '../../../shared/models.js';

/** The ping key is a write secret of every job of the project: admin keys only see it. */
export const projectJson = (project: Project, admin: boolean) => ({
  id: project.id,
  name: project.name,
  ...(admin ? { pingKey: project.pingKey } : {}),
  createdAt: isoTime(project.createdAt),
});
