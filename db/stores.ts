import type { Stores } from '../shared/services/index.js';
import type { Database } from './database.js';
import {
  DrizzleApiKeyRepository,
  DrizzleJobRepository,
  DrizzleJobRunRepository,
  DrizzleProjectRepository,
} from './drizzle-repositories.js';
import { DrizzleIdempotencyRepository } from './idempotency.js';
import { DrizzleJobMetricsRepository } from './job-metrics.js';
import { DrizzleJobSummaryRepository } from './job-summaries.js';
import { DrizzleRetentionRepository } from './retention.js';
import { DrizzleRunSweepRepository } from './run-sweeps.js';
import { DrizzleChannelRepository } from './channels.js';
import { DrizzleWebhookRepository } from './webhooks.js';

/**
 * Every repository over one database: the one place the Node entry, the Worker, the keys command,
 * the scripts and the tests build them (tests over SQLite `:memory:`, never a second store).
 */
export function drizzleStores(database: Database): Stores {
  return {
    jobs: new DrizzleJobRepository(database),
    runs: new DrizzleJobRunRepository(database),
    projects: new DrizzleProjectRepository(database),
    apiKeys: new DrizzleApiKeyRepository(database),
    summaries: new DrizzleJobSummaryRepository(database),
    jobMetrics: new DrizzleJobMetricsRepository(database),
    idempotencyKeys: new DrizzleIdempotencyRepository(database),
    webhooks: new DrizzleWebhookRepository(database),
    channels: new DrizzleChannelRepository(database),
    runSweeps: new DrizzleRunSweepRepository(database),
    retention: new DrizzleRetentionRepository(database),
    probe: () => database.probe(),
  };
}
