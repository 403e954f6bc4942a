import { hashKeySecret, type HashSecret } from '../api-key-secret.js';
import type { LogFields, Logger } from '../logger.js';
import type {
  ApiKeyRepository,
  HealthProbe,
  IdempotencyRepository,
  JobMetricsRepository,
  JobRepository,
  JobRunRepository,
  JobSummaryRepository,
  ProjectRepository,
  RetentionRepository,
  RunSweepRepository,
  WebhookRepository,
  ChannelRepository,
} from '../repositories.js';
import { ApiKeyCache, ApiKeyService, type OnKeyRevoked } from './api-key-service.js';
import { IdempotencyCounters, IdempotencyService } from './idempotency-service.js';
import { JobService } from './job-service.js';
import { JobSummaryService } from './job-summary-service.js';
import { JobSummaryCache } from './job-summary-cache.js';
import { PingService } from './ping-service.js';
import { BadgeService } from './badge-service.js';
import { ProjectService } from './project-service.js';
import type { RetentionSettings } from './retention.js';
import { RunService } from './run-service.js';
import { WebhookService } from './webhook-service.js';
import { ChannelService } from './channel-service.js';
import { BackupService, type DatabaseBackup } from './backup-service.js';
import { ChannelNotifier, type ChannelSettings } from '../channels/notifier.js';
import type { Mailer } from '../channels/mailer.js';
import { publicLinks, type PublicLinks } from '../links.js';
import {
  WebhookDispatcher,
  type WebhookFetch,
  type WebhookSettings,
} from '../webhooks/dispatcher.js';
import type { Resolver } from '../webhooks/url-guard.js';

export { ApiKeyService, type OnKeyRevoked } from './api-key-service.js';
export { IdempotencyService } from './idempotency-service.js';
export { JobService } from './job-service.js';
export { JobSummaryService } from './job-summary-service.js';
export { PingService } from './ping-service.js';
export { BadgeService } from './badge-service.js';
export { ProjectService } from './project-service.js';
export { RunService } from './run-service.js';
export { HealthRecorder } from './health-recorder.js';
export { HealthTimer } from './health-timer.js';
export { Maintenance } from './maintenance.js';
export { Retention, RETENTION_BATCH, type RetentionSettings } from './retention.js';
export { RunSweeper } from './run-sweeper.js';
export { WebhookService } from './webhook-service.js';
export { BackupService, type BackupSnapshot, type DatabaseBackup } from './backup-service.js';

/** The stores of one database, as `db/` builds them for every runtime. */
export interface Stores {
  jobs: JobRepository;
  runs: JobRunRepository;
  projects: ProjectRepository;
  apiKeys: ApiKeyRepository;
  /** The dashboard's jobs page: recent runs and window stats of a page of jobs. */
  summaries: JobSummaryRepository;
  /** GET /metrics: each job's counters, kept by the database (one row per job). */
  jobMetrics: JobMetricsRepository;
  /** Idempotency-Key records (one per principal and key, 24 h). */
  idempotencyKeys: IdempotencyRepository;
  /** Webhooks and their outbox (SQLite triggers fill it). */
  webhooks: WebhookRepository;
  /** Notification channels: webhooks rows of a chat or paging type, on the same outbox. */
  channels: ChannelRepository;
  /** The sweep tick's statements (lost runs, slow runs). */
  runSweeps: RunSweepRepository;
  /** The sweep tick's deletions: runs past retention, old events and their deliveries. */
  retention: RetentionRepository;
  probe: HealthProbe;
}

/** What a runtime hands the domain: its stores, a logger, the bootstrap key and (tests) a clock. */
export interface DomainDeps extends Stores {
  logger: Logger;
  /** ADMIN_API_KEY: accepted as an admin key, compared by hash like every other key. */
  adminApiKey?: string;
  now?: () => Date;
  /** SHA-256 of key secrets; Web Crypto unless the runtime has a faster one (Node). */
  hashSecret?: HashSecret;
  /** WEBHOOK_* settings (shared/config.ts `webhookSettings`). */
  webhookSettings: WebhookSettings;
  /** NOTIFY_* settings (shared/config.ts `channelSettings`). */
  channelSettings: ChannelSettings;
  /** RUN_RETENTION_* and DELIVERY_RETENTION_DAYS (shared/config.ts `retentionSettings`). */
  retentionSettings: RetentionSettings;
  /**
   * How webhooks are sent: the global fetch by default (Workers); Node connects to the addresses
   * the SSRF guard checked (functions/runtime/node-webhook-fetch.ts).
   */
  webhookFetch?: WebhookFetch;
  /** Node: resolves webhook hosts so the SSRF guard checks addresses; Workers: none. */
  webhookResolver?: Resolver;
  /** Node: removes the first-start key file when its key is revoked; Workers have no file. */
  onKeyRevoked?: OnKeyRevoked;
  /** Email channels' transport (SMTP_URL and SMTP_FROM set); none: email channels are a 422. */
  mailer?: Mailer;
  /** Node on a SQLite file: consistent copies of it; none (D1, libSQL): GET /api/admin/backup is a 501. */
  backup?: DatabaseBackup;
}

export interface Services {
  jobs: JobService;
  jobSummaries: JobSummaryService;
  runs: RunService;
  /** Healthchecks-style pings (functions/http/pings/routes.ts), through the run and job services. */
  pings: PingService;
  projects: ProjectService;
  /** Status badges (functions/http/badges/): a job's name and health, for a badge key. */
  badges: BadgeService;
  apiKeys: ApiKeyService;
  idempotency: IdempotencyService;
  webhooks: WebhookService;
  channels: ChannelService;
  /** GET /api/admin/backup: a copy of the database, where the platform can take one. */
  backup: BackupService;
  /** Read-only counters with no rules to apply: the repository itself. */
  jobMetrics: JobMetricsRepository;
  probe: HealthProbe;
  logger: Logger;
  /** The clock every service reads; a job's derived health is computed at it. */
  now: () => Date;
  /** The public addresses of a ping URL and the dashboard's pages (PUBLIC_URL). */
  links: PublicLinks;
  /**
   * The same services logging with `fields` on every line (the request id): built per request,
   * they share the stores and the key cache, so this costs a few small objects.
   */
  forRequest(fields: LogFields): Services;
}

/**
 * The domain's services over one set of stores, built once per process or isolate
 * (functions/runtime/runtime.ts); `dispatcher` sends the webhook test deliveries, the same one the
 * runtime's ticks drain.
 */
export function createServices(deps: DomainDeps, dispatcher: WebhookDispatcher): Services {
  const now = deps.now ?? (() => new Date());
  // Hashed once, lazily (Web Crypto is async); the plaintext is not kept by any service.
  const hashSecret = deps.hashSecret ?? hashKeySecret;
  const bootstrapHash = deps.adminApiKey
    ? Promise.resolve(hashSecret(deps.adminApiKey))
    : Promise.resolve(null);
  const keyCache = new ApiKeyCache();
  const links = publicLinks(deps.channelSettings.publicUrl);
  const idempotencyCounters = new IdempotencyCounters();
  const summaryCache = new JobSummaryCache();
  const build = (logger: Logger): Services => {
    const jobs = new JobService(deps.jobs, deps.projects, now, logger);
    const runs = new RunService(deps.jobs, deps.runs, now, logger);
    const apiKeys = new ApiKeyService(
      deps.apiKeys,
      deps.projects,
      now,
      logger,
      bootstrapHash,
      keyCache,
      hashSecret,
      deps.onKeyRevoked,
    );
    return {
      jobs,
      jobSummaries: new JobSummaryService(jobs, deps.summaries, now, summaryCache),
      runs,
      pings: new PingService(deps.jobs, deps.runs, deps.projects, runs, jobs),
      projects: new ProjectService(
        deps.projects,
        now,
        logger,
        deps.retentionSettings,
        apiKeys,
        hashSecret,
      ),
      badges: new BadgeService(deps.projects, deps.jobs, now, hashSecret),
      apiKeys,
      idempotency: new IdempotencyService(
        deps.idempotencyKeys,
        now,
        hashSecret,
        logger,
        idempotencyCounters,
      ),
      webhooks: new WebhookService(
        deps.webhooks,
        deps.jobs,
        dispatcher,
        deps.webhookSettings,
        now,
        logger,
        deps.webhookResolver,
      ),
      channels: new ChannelService(
        deps.channels,
        deps.webhooks,
        deps.jobs,
        deps.projects,
        dispatcher,
        deps.webhookSettings,
        now,
        logger,
        deps.mailer !== undefined,
        deps.webhookResolver,
      ),
      backup: new BackupService(deps.backup, logger),
      jobMetrics: deps.jobMetrics,
      probe: deps.probe,
      logger,
      now,
      links,
      forRequest: (fields) => build(logger.child(fields)),
    };
  };
  return build(deps.logger);
}

/** The dispatcher over the stores' webhooks: the same for API test sends and periodic ticks. */
export function createWebhookDispatcher(deps: DomainDeps): WebhookDispatcher {
  return new WebhookDispatcher({
    repository: deps.webhooks,
    settings: deps.webhookSettings,
    notifier: new ChannelNotifier(deps.channels, deps.jobs, deps.channelSettings),
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
    fetch: deps.webhookFetch,
    mailer: deps.mailer,
    resolve: deps.webhookResolver,
  });
}
