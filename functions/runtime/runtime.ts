/**
 * The one wiring of ChronoTrack: what a Node process, a Worker isolate, `npm run keys`, the
 * scripts, the bench and the tests' app builders all run, so "what runs in production" and "what
 * the tests run" cannot drift. Each entry parses its configuration, opens its database, says what
 * its platform has (a limiter, assets, a faster hash...) and calls `createRuntime` once.
 */
import type { MiddlewareHandler } from 'hono';
import type { Database } from '../../db/database.js';
import { drizzleStores } from '../../db/stores.js';
import {
  channelSettings,
  retentionSettings,
  webhookSettings,
  type AccessConfig,
} from '../../shared/config.js';
import type { Logger } from '../../shared/logger.js';
import type { RateLimiter } from '../../shared/rate-limit.js';
import {
  createServices,
  createWebhookDispatcher,
  HealthRecorder,
  HealthTimer,
  Maintenance,
  Retention,
  RunSweeper,
  type DomainDeps,
  type Services,
  type Stores,
} from '../../shared/services/index.js';
import { DispatchTrigger } from '../../shared/webhooks/dispatch-trigger.js';
import type { WebhookDispatcher } from '../../shared/webhooks/dispatcher.js';
import { createApp, type App, type AppDeps } from '../http/app.js';
import type { AppEnv } from '../http/env.js';

/** What differs between Node, Workers and a test: everything `createRuntime` cannot derive. */
export interface Platform
  extends
    Pick<
      DomainDeps,
      | 'hashSecret'
      | 'webhookFetch'
      | 'webhookResolver'
      | 'onKeyRevoked'
      | 'now'
      | 'mailer'
      | 'backup'
    >,
    Pick<
      AppDeps,
      | 'clientAddress'
      | 'defer'
      | 'docsAssets'
      | 'dashboardAssets'
      | 'processMetrics'
      | 'compression'
      | 'secureHeaders'
    > {
  logger: Logger;
  /** The limiter for RATE_LIMIT_PER_MINUTE: Node's token bucket, the Workers binding; none: no limit. */
  rateLimiter: RateLimiter | undefined;
  /**
   * Start a webhook dispatch pass right after each write (Workers always; Node unless
   * WEBHOOK_DISPATCH_INTERVAL_SECONDS=0), rather than waiting for the runtime's tick.
   */
  dispatchAfterWrites: boolean;
  /**
   * Keep a timer for the earliest health deadline, so `late` and `down` are recorded on time
   * rather than on the next sweep (Node, when it sweeps); Workers have only the Cron Trigger.
   */
  healthTimer?: boolean;
  /** Node with OTEL_EXPORTER_OTLP_ENDPOINT: the request span and the stores' client spans. */
  tracing?: { requests: MiddlewareHandler<AppEnv>; stores: (stores: Stores) => Stores };
  /** The stores the services see, when a test stands one in (a held or failing repository). */
  stores?: (stores: Stores) => Stores;
}

/** One process's or isolate's ChronoTrack, built once. */
export interface Runtime {
  /** The database's stores, as the periodic work uses them (no tracing, no test stand-ins). */
  stores: Stores;
  services: Services;
  /** The outbox's sender: the webhook test sends, Node's interval and the Workers Cron Trigger. */
  dispatcher: WebhookDispatcher;
  /** The pass after a write, when `dispatchAfterWrites`; `app` kicks it. */
  trigger: DispatchTrigger | undefined;
  /** One sweep tick: lost runs, health changes, expired idempotency keys. */
  maintenance: Maintenance;
  /** The timer for the next health deadline, when `healthTimer`: armed by every tick and write. */
  healthTimer: HealthTimer | undefined;
  /** The HTTP API over `services`, built on first use (`npm run keys` never serves). */
  readonly app: App;
}

/** Builds the stores, the services, the webhook dispatcher and trigger, the sweeps and the app. */
export function createRuntime(
  database: Database,
  config: AccessConfig,
  platform: Platform,
): Runtime {
  const { logger } = platform;
  logStorageChanges(database, logger);
  const stores = drizzleStores(database);
  const served = platform.tracing?.stores(stores) ?? stores;
  const domain = (from: Stores): DomainDeps => ({
    ...from,
    logger,
    now: platform.now,
    adminApiKey: config.ADMIN_API_KEY,
    hashSecret: platform.hashSecret,
    webhookSettings: webhookSettings(config),
    channelSettings: channelSettings(config),
    retentionSettings: retentionSettings(config),
    webhookFetch: platform.webhookFetch,
    webhookResolver: platform.webhookResolver,
    onKeyRevoked: platform.onKeyRevoked,
    mailer: platform.mailer,
    backup: platform.backup,
  });
  // The periodic work runs outside any request: over the stores themselves, so no tick opens a
  // root span of its own every second.
  const dispatcher = createWebhookDispatcher(domain(stores));
  const services = createServices(domain(platform.stores?.(served) ?? served), dispatcher);
  const trigger = platform.dispatchAfterWrites
    ? new DispatchTrigger(dispatcher, logger)
    : undefined;
  const now = platform.now ?? (() => new Date());
  const healthTimer: HealthTimer | undefined = platform.healthTimer
    ? new HealthTimer(
        {
          // What a pass recorded queued its webhooks: send them now, not on the next tick.
          record: async (at) => {
            const recorded = await health.record(at);
            if (recorded.length > 0) void trigger?.kick();
            return recorded;
          },
          nextDeadlineOfWritten: (since, at) => health.nextDeadlineOfWritten(since, at),
        },
        logger,
        now,
      )
    : undefined;
  const health: HealthRecorder = new HealthRecorder(stores.jobs, logger, healthTimer);
  const maintenance = new Maintenance(
    new RunSweeper(stores.runSweeps, logger),
    stores.idempotencyKeys,
    logger,
    health,
    new Retention(stores.retention, retentionSettings(config), logger),
  );
  // The writes that may queue a webhook (under /api, and pings) are the ones that may move a
  // health deadline: after each, a dispatch pass and the health timer's probe.
  const afterWrite =
    trigger || healthTimer
      ? () => {
          void healthTimer?.written();
          return trigger?.kick() ?? null;
        }
      : undefined;
  let app: App | undefined;
  return {
    stores,
    services,
    dispatcher,
    trigger,
    maintenance,
    healthTimer,
    get app() {
      app ??= createApp({
        services,
        auth: config.AUTH,
        corsOrigins: config.CORS_ORIGINS,
        metricsPublic: config.METRICS_PUBLIC,
        rateLimiter: platform.rateLimiter,
        clientAddress: platform.clientAddress,
        defer: platform.defer,
        docsAssets: platform.docsAssets,
        dashboardAssets: platform.dashboardAssets,
        processMetrics: platform.processMetrics,
        compression: platform.compression,
        secureHeaders: platform.secureHeaders,
        tracing: platform.tracing?.requests,
        afterWrite,
      });
      return app;
    },
  };
}

/**
 * One line when writes start being refused for want of space and one when they succeed again,
 * never one per refused request (each of those is a 507 in the access log already).
 */
function logStorageChanges(database: Database, logger: Logger): void {
  let refusedBefore = 0;
  database.storage.onChange((full) => {
    const { refusedWrites } = database.storage;
    if (full) {
      refusedBefore = refusedWrites - 1;
      logger.error('storage full: writes refused', {
        driver: database.driver,
        hint: 'free space on the database volume; writes resume by themselves',
      });
    } else {
      logger.info('storage writable again', { refusedWrites: refusedWrites - refusedBefore });
    }
  });
}
