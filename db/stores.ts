import type { Stores } from '../shared/services/index.js';
import type { Database } from './database.js';
import {
  DrizzleApiKeyRepository,
  DrizzleJobRepository,
  DrizzleJobRunRepository,
  DrizzleProjectRepository,
} from './drizzle-repositories.js';
import { DrizzleIdempotencyRepository } from './idempotency.js';
import { DrizzleJobMetricsRepository, memoryJobMetrics } from './job-metrics.js';
import { DrizzleJobSummaryRepository, runRepositorySummaries } from './job-summaries.js';
import {
  MemoryApiKeyRepository,
  MemoryJobRepository,
  MemoryJobRunRepository,
  MemoryProjectRepository,
} from './memory-repositories.js';
import { MemoryIdempotencyRepository } from './memory-idempotency.js';
import { DrizzleRunSweepRepository } from './run-sweeps.js';
import { DrizzleWebhookRepository } from './webhooks.js';

/** Every repository over one database: the one place the Node entry, the Worker, the keys command and the tests build them. */
export function drizzleStores(
  database: Database,
): Stores & Required<Pick<Stores, 'webhooks' | 'runSweeps'>> {
  return {
    jobs: new DrizzleJobRepository(database),
    runs: new DrizzleJobRunRepository(database),
    projects: new DrizzleProjectRepository(database),
    apiKeys: new DrizzleApiKeyRepository(database),
    summaries: new DrizzleJobSummaryRepository(database),
    jobMetrics: new DrizzleJobMetricsRepository(database),
    idempotencyKeys: new DrizzleIdempotencyRepository(database),
    webhooks: new DrizzleWebhookRepository(database),
    runSweeps: new DrizzleRunSweepRepository(database),
    probe: () => database.probe(),
  };
}

/** The same stores in memory (service tests, reading the OpenAPI document). */
export function memoryStores(): Stores {
  const idempotencyKeys = new MemoryIdempotencyRepository();
  const jobs = new MemoryJobRepository(idempotencyKeys);
  const runs = new MemoryJobRunRepository(jobs);
  const projects = new MemoryProjectRepository();
  return {
    idempotencyKeys,
    jobs,
    runs,
    summaries: runRepositorySummaries(runs),
    jobMetrics: memoryJobMetrics(jobs, runs, projects),
    projects,
    apiKeys: new MemoryApiKeyRepository(),
    probe: async () => {},
  };
}
