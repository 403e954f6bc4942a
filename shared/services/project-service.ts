import type { ProjectScope } from '../access.js';
import { DomainError, notFound } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Project } from '../models.js';
import type { ProjectChanges, ProjectRepository } from '../repositories.js';
import { newPingKey } from '../ping-secrets.js';
import type { RetentionSettings } from './retention.js';

/** One project as GET /api/projects/{id} shows it: its retention in effect and its runs now. */
export interface ProjectDetail {
  project: Project;
  /** The project's own `retentionDays`, or the server's RUN_RETENTION_DAYS when it has none. */
  effectiveRetentionDays: number;
  runs: { count: number; oldestAt: Date | null };
}

export class ProjectService {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly now: () => Date,
    private readonly logger: Logger,
    private readonly retention: Pick<RetentionSettings, 'runDays'>,
  ) {}

  async create(name: string): Promise<Project> {
    const project = await this.projects.create(name, this.now(), newPingKey());
    if (!project) throw nameTaken(name);
    this.logger.info('project created', { projectId: project.id, name });
    return project;
  }

  /** Every project, or only the caller's own when it is bound to one. */
  async list(scope: ProjectScope): Promise<Project[]> {
    if (scope === null) return this.projects.list();
    const own = await this.projects.findById(scope);
    return own ? [own] : [];
  }

  /** A project the caller can see (a bound key: its own only), with its runs and retention. */
  async get(id: number, scope: ProjectScope): Promise<ProjectDetail> {
    const project = scope === null || scope === id ? await this.projects.findById(id) : null;
    if (!project) throw notFound('project', id);
    return {
      project,
      effectiveRetentionDays: project.retentionDays ?? this.retention.runDays,
      runs: await this.projects.runsKept(id),
    };
  }

  /** Renames it or sets its retention (admin keys, which are never bound to a project). */
  async update(id: number, changes: ProjectChanges): Promise<ProjectDetail> {
    if (!(await this.projects.findById(id))) throw notFound('project', id);
    const project = await this.projects.update(id, changes);
    if (!project) throw nameTaken(changes.name ?? '');
    this.logger.info('project changed', { projectId: id, changed: Object.keys(changes) });
    return this.get(id, null);
  }
}

const nameTaken = (name: string) =>
  new DomainError('PROJECT_NAME_TAKEN', `A project named "${name}" already exists.`);
