import type { HashSecret } from '../api-key-secret.js';
import { BADGE_KEY_PATTERN, projectBadge, type JobBadge, type ProjectBadge } from '../badges.js';
import { jobHealth, type JobHealth } from '../job-health.js';
import { isJobKey } from '../job-keys.js';
import type { Keyset } from '../list-queries.js';
import type { Project } from '../models.js';
import type { JobRepository, ProjectRepository } from '../repositories.js';

/** Jobs read per statement for the project badge. */
const PAGE = 200;

/**
 * Reads what a badge shows, for a badge key and nothing else (no API key is involved). The key is
 * looked up by its SHA-256, as API keys are, so the presented value is never compared with a
 * stored secret; an unknown key and an unknown job both answer null, so a badge URL cannot tell
 * whether a project exists.
 */
export class BadgeService {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly jobs: JobRepository,
    private readonly now: () => Date,
    private readonly hashSecret: HashSecret,
  ) {}

  /** The job's name and health now, or null for an unknown badge key or job key. */
  async job(badgeKey: string, jobKey: string): Promise<JobBadge | null> {
    if (!isJobKey(jobKey)) return null;
    const project = await this.find(badgeKey);
    const job = project && (await this.jobs.findByKey(project.id, jobKey));
    return job ? { name: job.name, health: jobHealth(job, this.now()).health } : null;
  }

  /** The project's jobs taken together (shared/badges.ts `projectBadge`), or null. */
  async project(badgeKey: string): Promise<ProjectBadge | null> {
    const project = await this.find(badgeKey);
    if (!project) return null;
    const at = this.now();
    const healths: JobHealth[] = [];
    let after: Keyset | undefined;
    for (;;) {
      const page = await this.jobs.list({
        projectId: project.id,
        archived: 'false',
        sort: { field: 'createdAt', descending: false },
        after,
        limit: PAGE,
      });
      for (const job of page) healths.push(jobHealth(job, at).health);
      const last = page.at(-1);
      if (page.length < PAGE || !last) return projectBadge(healths);
      after = { key: last.createdAt.getTime(), id: last.id };
    }
  }

  private async find(badgeKey: string): Promise<Project | null> {
    if (!BADGE_KEY_PATTERN.test(badgeKey)) return null;
    return this.projects.findByBadgeKeyHash(await this.hashSecret(badgeKey));
  }
}
