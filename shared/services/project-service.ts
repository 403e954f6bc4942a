import type { ProjectScope } from '../access.js';
import { DomainError, invalid, notFound } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Project } from '../models.js';
import type { ProjectChanges, ProjectRepository } from '../repositories.js';
import type { HashSecret } from '../api-key-secret.js';
import { newBadgeKey } from '../badges.js';
import { newPingKey } from '../ping-secrets.js';
import type { ApiKeyService } from './api-key-service.js';
import { RETENTION_BATCH, type RetentionSettings } from './retention.js';

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
    private readonly keys: Pick<ApiKeyService, 'list' | 'revoke'>,
    private readonly hashSecret: HashSecret,
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

  /**
   * Gives the project a new badge key (admin keys): turns its badges on, or rotates the key, which
   * stops every badge URL with the old one at once. Only its SHA-256 is searched by.
   */
  async rotateBadgeKey(id: number): Promise<ProjectDetail> {
    const badgeKey = newBadgeKey();
    const project = await this.projects.setBadgeKey(id, badgeKey, await this.hashSecret(badgeKey));
    if (!project) throw notFound('project', id);
    this.logger.info('project badge key rotated', { projectId: id });
    return this.get(id, null);
  }

  /**
   * Deletes a project with its jobs, runs, keys, webhooks and channels. `confirm` must be its name:
   * a deletion cannot be undone. Its keys are revoked first (at once here, within the cache TTL
   * elsewhere) and its hooks go next, so nobody writes to it or is told of it meanwhile; then its
   * runs in batches, with a turn of the event loop between two, its jobs, its keys' rows and its
   * row last. Cut short, it is finished by running it again (the row is still there).
   */
  async delete(id: number, confirm: string): Promise<ProjectDeletion> {
    if (id === DEFAULT_PROJECT_ID)
      throw new DomainError(
        'PROJECT_IS_DEFAULT',
        'Project 1 holds every job created without a project: it cannot be deleted.',
      );
    const project = await this.projects.findById(id);
    if (!project) throw notFound('project', id);
    if (confirm !== project.name)
      throw invalid('confirm', `must be the project's name, "${project.name}"`);
    const steps = this.projects.deletion;
    const bound = (await this.keys.list()).filter((key) => key.projectId === id);
    for (const key of bound) if (key.revokedAt === null) await this.keys.revoke(key.id);
    const hooks = await steps.deleteHooks(id);
    let runs = 0;
    for (let batch = RETENTION_BATCH; batch === RETENTION_BATCH;) {
      batch = await steps.deleteRuns(id, RETENTION_BATCH);
      runs += batch;
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    let jobs = 0;
    for (let batch = JOB_BATCH; batch === JOB_BATCH;) {
      batch = await steps.deleteJobs(id, JOB_BATCH);
      jobs += batch;
    }
    const keys = await steps.deleteKeys(id);
    await steps.deleteProject(id);
    const deleted = { jobs, runs, keys, ...hooks };
    this.logger.info('project deleted', { projectId: id, ...deleted });
    return deleted;
  }
}

const DEFAULT_PROJECT_ID = 1;
/** Jobs deleted per statement: each takes its counters (and a stray run) by cascade. */
const JOB_BATCH = 100;

/** What deleting a project took with it. */
export interface ProjectDeletion {
  jobs: number;
  runs: number;
  keys: number;
  webhooks: number;
  channels: number;
}

const nameTaken = (name: string) =>
  new DomainError('PROJECT_NAME_TAKEN', `A project named "${name}" already exists.`);
