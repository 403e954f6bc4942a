import { notFound } from '../errors.js';
import type { Job, Page } from '../models.js';
import { fingerprint, keysetPage, type ListOptions } from '../cursor.js';
import type { JobRepository } from '../repositories.js';
import { parseSort, type ArchivedFilter, type JobSortField } from '../list-queries.js';
import type { JobCreateInput, JobUpdateInput } from '../schemas.js';
import type { Logger } from '../logger.js';

export interface JobListParams extends ListOptions {
  archived?: ArchivedFilter;
  type?: string;
  q?: string;
  sort?: string;
}

export class JobService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  async create(input: JobCreateInput): Promise<Job> {
    const job = await this.jobs.create({
      name: input.name,
      description: input.description ?? null,
      type: input.type ?? null,
      now: this.now(),
    });
    this.logger.info('job created', { jobId: job.id, name: job.name });
    return job;
  }

  async get(id: number): Promise<Job> {
    const job = await this.jobs.findById(id);
    if (!job) throw notFound('job', id);
    return job;
  }

  async update(id: number, input: JobUpdateInput): Promise<Job> {
    // An empty patch changes nothing, so it must not bump updatedAt either.
    if (Object.keys(input).length === 0) return this.get(id);
    const job = await this.jobs.update(id, { ...input, updatedAt: this.now() });
    if (!job) throw notFound('job', id);
    if (input.archived !== undefined)
      this.logger.info(input.archived ? 'job archived' : 'job restored', { jobId: id });
    return job;
  }

  async list(params: JobListParams): Promise<Page<Job>> {
    const sort = parseSort<JobSortField>((params.sort ?? '-createdAt') as JobSortField);
    const filters = { archived: params.archived ?? 'false', type: params.type, q: params.q };
    return keysetPage({
      list: fingerprint({ list: 'jobs', ...filters, sort }),
      page: params,
      keyType: sort.field === 'name' ? 'string' : 'number',
      keyOf: (job) => (sort.field === 'name' ? job.name : job[sort.field].getTime()),
      fetch: (after, limit) => this.jobs.list({ ...filters, sort, after, limit }),
    });
  }
}
