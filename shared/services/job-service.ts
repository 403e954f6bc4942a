import type { ProjectScope } from '../access.js';
import { DomainError, invalid, jobKeyNotFound, notFound } from '../errors.js';
import type { IdempotencyClaim } from '../idempotency.js';
import type { Job, Page } from '../models.js';
import { fingerprint, keysetPage } from '../cursor.js';
import type { JobRepository, NewJob, ProjectRepository } from '../repositories.js';
import { parseSort, type JobSortField } from '../list-queries.js';
import type {
  JobCreateInput,
  JobPutInput,
  JobUpdateInput,
  JobKeyRef,
  JobListParams,
} from '../inputs.js';
import { deriveJobKey, firstFreeKey, isJobKey, suffixedKeyPrefix } from '../job-keys.js';
import type { Logger } from '../logger.js';
import {
  addressedProject,
  DEFAULT_PROJECT_ID,
  NO_PROJECT,
  scopedProject,
} from './project-scope.js';

/**
 * Inserts of one derived key before giving up. Each retry reads the keys taken and picks the first
 * free suffix; an insert only loses to another create of the same name that won, so N concurrent
 * creates of one name all succeed within N attempts.
 */
const MAX_KEY_ATTEMPTS = 32;

const isKeyTaken = (error: unknown) =>
  error instanceof DomainError && error.code === 'JOB_KEY_TAKEN';

const checkKey = (key: string | undefined) => {
  if (key !== undefined && !isJobKey(key))
    throw invalid('key', 'must be 1-64 characters of a-z, 0-9, - and _');
};

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
   * A key given is the job's or a 409 when taken; without one the name's derived key is used,
   * suffixed `-2`, `-3`... when taken. With an idempotency claim, the job and the claim's
   * completion commit together.
   */
  async create(input: JobCreateInput, scope: ProjectScope, claim?: IdempotencyClaim): Promise<Job> {
    checkKey(input.key);
    const projectId = input.projectId ?? scope ?? DEFAULT_PROJECT_ID;
    if (scope !== null && projectId !== scope) throw notFound('project', projectId);
    if (
      scope === null &&
      input.projectId !== undefined &&
      !(await this.projects.findById(projectId))
    )
      throw notFound('project', projectId);
    const job: Omit<NewJob, 'key'> = {
      projectId,
      name: input.name,
      description: input.description ?? null,
      type: input.type ?? null,
      heartbeatTimeoutSeconds: input.heartbeatTimeoutSeconds ?? null,
      maxDurationSeconds: input.maxDurationSeconds ?? null,
      pendingTimeoutSeconds: input.pendingTimeoutSeconds ?? null,
      schedule: input.schedule ?? null,
      timezone: input.timezone ?? null,
      graceSeconds: input.graceSeconds ?? null,
      now: this.now(),
    };
    const created =
      input.key !== undefined
        ? await this.jobs.create({ ...job, key: input.key }, claim)
        : await this.createWithDerivedKey(job, deriveJobKey(input.name), claim);
    this.logger.info('job created', {
      jobId: created.id,
      projectId,
      key: created.key,
      name: created.name,
    });
    return created;
  }

  private async createWithDerivedKey(
    job: Omit<NewJob, 'key'>,
    base: string,
    claim: IdempotencyClaim | undefined,
  ): Promise<Job> {
    let key = base;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.jobs.create({ ...job, key }, claim);
      } catch (error) {
        if (!isKeyTaken(error)) throw error;
        if (attempt === MAX_KEY_ATTEMPTS)
          throw new DomainError(
            'CONCURRENT_UPDATE',
            `Too many jobs deriving the key '${base}' are being created at once; retry.`,
          );
      }
      const taken = await this.jobs.keysStartingWith(job.projectId, suffixedKeyPrefix(base));
      key = firstFreeKey(base, new Set(taken));
    }
  }

  async get(id: number, scope: ProjectScope): Promise<Job> {
    const job = await this.jobs.findById(id, scope);
    if (!job) throw notFound('job', id);
    return job;
  }

  /** The job with the key in the addressed project (see `addressedProject`), or a 404. */
  async getByKey(ref: JobKeyRef, scope: ProjectScope): Promise<Job> {
    checkKey(ref.key);
    const projectId = addressedProject(ref.projectId, scope);
    const job = await this.jobs.findByKey(projectId, ref.key);
    if (!job) throw jobKeyNotFound(projectId, ref.key);
    return job;
  }

  async update(id: number, input: JobUpdateInput, scope: ProjectScope): Promise<Job> {
    checkKey(input.key);
    // An empty patch changes nothing, so it must not bump updatedAt either.
    if (Object.keys(input).length === 0) return this.get(id, scope);
    const job = await this.jobs.update(id, { ...input, updatedAt: this.now() }, scope);
    if (!job) throw notFound('job', id);
    if (input.archived !== undefined)
      this.logger.info(input.archived ? 'job archived' : 'job restored', { jobId: id });
    return job;
  }

  async updateByKey(ref: JobKeyRef, input: JobUpdateInput, scope: ProjectScope): Promise<Job> {
    const job = await this.getByKey(ref, scope);
    return this.update(job.id, input, scope);
  }

  /**
   * PUT by key: updates the job with the key (the given fields only), or creates it with the key
   * (named after it unless a name is given). `created` says which, for 201 against 200.
   */
  async put(
    ref: JobKeyRef,
    input: JobPutInput,
    scope: ProjectScope,
  ): Promise<{ job: Job; created: boolean }> {
    checkKey(ref.key);
    const projectId = addressedProject(ref.projectId, scope);
    const existing = await this.jobs.findByKey(projectId, ref.key);
    if (existing) return { job: await this.update(existing.id, input, scope), created: false };
    try {
      const job = await this.create(
        { ...input, name: input.name ?? ref.key, key: ref.key, projectId },
        scope,
      );
      return { job, created: true };
    } catch (error) {
      // Another request created it meanwhile: this one is then an update of it.
      if (!isKeyTaken(error)) throw error;
      const job = await this.getByKey({ key: ref.key, projectId }, scope);
      return { job: await this.update(job.id, input, scope), created: false };
    }
  }

  /**
   * The job with the key, created (named after the key) when the project has none: how a new
   * crontab line reports its first run without any setup.
   */
  async findOrCreateByKey(ref: JobKeyRef, scope: ProjectScope): Promise<Job> {
    checkKey(ref.key);
    const projectId = addressedProject(ref.projectId, scope);
    const existing = await this.jobs.findByKey(projectId, ref.key);
    if (existing) return existing;
    try {
      return await this.create({ name: ref.key, key: ref.key, projectId }, scope);
    } catch (error) {
      if (!isKeyTaken(error)) throw error;
      return this.getByKey({ key: ref.key, projectId }, scope);
    }
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
      health: params.health,
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
