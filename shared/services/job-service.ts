import type { ProjectScope } from '../access.js';
import { notFound } from '../errors.js';
import type { Job, Page } from '../models.js';
import { fingerprint, keysetPage, type ListOptions } from '../cursor.js';
import type { JobRepository, ProjectRepository } from '../repositories.js';
import { parseSort, type ArchivedFilter, type JobSortField } from '../list-queries.js';
import type { JobCreateInput, JobUpdateInput } from '../inputs.js';
import type { Logger } from '../logger.js';
import { DEFAULT_PROJECT_ID, NO_PROJECT, scopedProject } from './project-scope.js';

export interface JobListParams extends ListOptions {
  projectId?: number;
  archived?: ArchivedFilter;
  type?: string;
  q?: string;
  sort?: string;
}

export class JobService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly projects: ProjectRepository,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  /**
   * A project-scoped caller's jobs land in its project; another project's id is a 404, as if it
   * did not exist. A caller that sees every project may name one (default: `default`, id 1).
   */
  async create(input: JobCreateInput, scope: ProjectScope): Promise<Job> {
    const projectId = input.projectId ?? scope ?? DEFAULT_PROJECT_ID;
    if (scope !== null && projectId !== scope) throw notFound('project', projectId);
    if (
      scope === null &&
      input.projectId !== undefined &&
      !(await this.projects.findById(projectId))
    )
      throw notFound('project', projectId);
    const job = await this.jobs.create({
      projectId,
      name: input.name,
      description: input.description ?? null,
      type: input.type ?? null,
      now: this.now(),
    });
    this.logger.info('job created', { jobId: job.id, projectId, name: job.name });
    return job;
  }

  async get(id: number, scope: ProjectScope): Promise<Job> {
    const job = await this.jobs.findById(id, scope);
    if (!job) throw notFound('job', id);
    return job;
  }

  async update(id: number, input: JobUpdateInput, scope: ProjectScope): Promise<Job> {
    // An empty patch changes nothing, so it must not bump updatedAt either.
    if (Object.keys(input).length === 0) return this.get(id, scope);
    const job = await this.jobs.update(id, { ...input, updatedAt: this.now() }, scope);
    if (!job) throw notFound('job', id);
    if (input.archived !== undefined)
      this.logger.info(input.archived ? 'job archived' : 'job restored', { jobId: id });
    return job;
  }

  /** A project-scoped caller lists its own project; asking for another one lists nothing. */
  async list(params: JobListParams, scope: ProjectScope): Promise<Page<Job>> {
    const sort = parseSort<JobSortField>((params.sort ?? '-createdAt') as JobSortField);
    const projectId = scopedProject(params.projectId, scope);
    const filters = {
      projectId: projectId ?? undefined,
      archived: params.archived ?? 'false',
      type: params.type,
      q: params.q,
    };
    return keysetPage({
      list: fingerprint({ list: 'jobs', ...filters, sort }),
      page: params,
      keyType: sort.field === 'name' ? 'string' : 'number',
      keyOf: (job) => (sort.field === 'name' ? job.name : job[sort.field].getTime()),
      fetch: async (after, limit) =>
        projectId === NO_PROJECT ? [] : this.jobs.list({ ...filters, sort, after, limit }),
    });
  }
}
