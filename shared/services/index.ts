import { hashKeySecret } from '../api-key-secret.js';
import type { Logger } from '../logger.js';
import type {
  ApiKeyRepository,
  HealthProbe,
  JobRepository,
  JobRunRepository,
  ProjectRepository,
} from '../repositories.js';
import { ApiKeyService } from './api-key-service.js';
import { JobService } from './job-service.js';
import { ProjectService } from './project-service.js';
import { RunService } from './run-service.js';

export { ApiKeyService } from './api-key-service.js';
export { JobService } from './job-service.js';
export { ProjectService } from './project-service.js';
export { RunService } from './run-service.js';

/** The stores of one database, as `db/` builds them for every runtime. */
export interface Stores {
  jobs: JobRepository;
  runs: JobRunRepository;
  projects: ProjectRepository;
  apiKeys: ApiKeyRepository;
  probe: HealthProbe;
}

/** What a runtime hands the domain: its stores, a logger, the bootstrap key and (tests) a clock. */
export interface DomainDeps extends Stores {
  logger: Logger;
  /** ADMIN_API_KEY: accepted as an admin key, compared by hash like every other key. */
  adminApiKey?: string;
  now?: () => Date;
}

export interface Services {
  jobs: JobService;
  runs: RunService;
  projects: ProjectService;
  apiKeys: ApiKeyService;
  probe: HealthProbe;
  logger: Logger;
}

export function createServices(deps: DomainDeps): Services {
  const now = deps.now ?? (() => new Date());
  // Hashed once, lazily (Web Crypto is async); the plaintext is not kept by any service.
  const bootstrapHash = deps.adminApiKey ? hashKeySecret(deps.adminApiKey) : Promise.resolve(null);
  return {
    jobs: new JobService(deps.jobs, deps.projects, now, deps.logger),
    runs: new RunService(deps.jobs, deps.runs, now, deps.logger),
    projects: new ProjectService(deps.projects, now, deps.logger),
    apiKeys: new ApiKeyService(deps.apiKeys, deps.projects, now, deps.logger, bootstrapHash),
    probe: deps.probe,
    logger: deps.logger,
  };
}
