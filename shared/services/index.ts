import type { Logger } from '../logger.js';
import type { HealthProbe, JobRepository, JobRunRepository } from '../repositories.js';
import { JobService } from './job-service.js';
import { RunService } from './run-service.js';

export { JobService } from './job-service.js';
export { RunService } from './run-service.js';

/** What a runtime hands the domain: its stores, a health probe, a logger and (for tests) a clock. */
export interface DomainDeps {
  jobs: JobRepository;
  runs: JobRunRepository;
  probe: HealthProbe;
  logger: Logger;
  now?: () => Date;
}

export interface Services {
  jobs: JobService;
  runs: RunService;
  probe: HealthProbe;
  logger: Logger;
}

export function createServices(deps: DomainDeps): Services {
  const now = deps.now ?? (() => new Date());
  return {
    jobs: new JobService(deps.jobs, now, deps.logger),
    runs: new RunService(deps.jobs, deps.runs, now, deps.logger),
    probe: deps.probe,
    logger: deps.logger,
  };
}
