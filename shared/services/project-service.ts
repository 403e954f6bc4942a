import type { ProjectScope } from '../access.js';
import { DomainError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Project } from '../models.js';
import type { ProjectRepository } from '../repositories.js';
import { newPingKey } from '../ping-secrets.js';

export class ProjectService {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  async create(name: string): Promise<Project> {
    const project = await this.projects.create(name, this.now(), newPingKey());
    if (!project)
      throw new DomainError('PROJECT_NAME_TAKEN', `A project named "${name}" already exists.`);
    this.logger.info('project created', { projectId: project.id, name });
    return project;
  }

  /** Every project, or only the caller's own when it is bound to one. */
  async list(scope: ProjectScope): Promise<Project[]> {
    if (scope === null) return this.projects.list();
    const own = await this.projects.findById(scope);
    return own ? [own] : [];
  }
}
