/**
 * The tests' runtime: `createRuntime` (functions/runtime/runtime.ts), the production wiring, over any
 * database, with the test admin key. Free of drivers, so the Workers tests use it over D1 too.
 */
import type { Database } from '../../db/database.js';
import { AccessConfigSchema, parseWith, type AccessConfig } from '../../shared/config.js';
import { createJsonLogger, type Logger } from '../../shared/logger.js';
import { TokenBucketLimiter } from '../../shared/rate-limit.js';
import type { Stores } from '../../shared/services/index.js';
import type { WebhookSettings } from '../../shared/webhooks/dispatcher.js';
import { createRuntime, type Platform, type Runtime } from '../../functions/runtime/runtime.js';
import { TEST_ADMIN_KEY } from './keys.js';

/** The rate limit every test target runs with: the default, as users get it. */
export const TEST_RATE_LIMIT_PER_MINUTE = 1200;

/** What a test changes, in one object: configuration, platform pieces and stand-in stores. */
export type TestOverrides = Partial<Omit<Platform, 'logger' | 'stores'>> &
  Partial<Stores> & {
    auth?: boolean;
    corsOrigins?: string[];
    metricsPublic?: boolean;
    webhookSettings?: WebhookSettings;
    notifyMinIntervalSeconds?: number;
    /** PUBLIC_URL. */
    publicUrl?: string;
  };

const STORE_NAMES = new Set<string>([
  'jobs',
  'runs',
  'projects',
  'apiKeys',
  'summaries',
  'jobMetrics',
  'idempotencyKeys',
  'webhooks',
  'channels',
  'runSweeps',
  'probe',
] satisfies Array<keyof Stores>);

/** The configuration of every test runtime: the defaults, with the test admin key. */
export function testConfig(overrides: TestOverrides = {}): AccessConfig {
  const config = parseWith(AccessConfigSchema, { ADMIN_API_KEY: TEST_ADMIN_KEY });
  const hooks = overrides.webhookSettings;
  return {
    ...config,
    AUTH: overrides.auth ?? config.AUTH,
    CORS_ORIGINS: overrides.corsOrigins ?? config.CORS_ORIGINS,
    METRICS_PUBLIC: overrides.metricsPublic ?? config.METRICS_PUBLIC,
    PUBLIC_URL: overrides.publicUrl ?? config.PUBLIC_URL,
    NOTIFY_MIN_INTERVAL_SECONDS:
      overrides.notifyMinIntervalSeconds ?? config.NOTIFY_MIN_INTERVAL_SECONDS,
    ...(hooks && {
      WEBHOOK_ALLOW_PRIVATE: hooks.allowPrivate,
      WEBHOOK_RETRY_BASE_SECONDS: hooks.retryBaseSeconds,
      WEBHOOK_RETRY_FOR_SECONDS: hooks.retryForSeconds,
      WEBHOOK_TIMEOUT_SECONDS: hooks.timeoutSeconds,
    }),
  };
}

/** The runtime over `database`, as an entry builds it (silent unless given a logger). */
export function testRuntime(
  database: Database,
  logger: Logger = createJsonLogger({ silent: true }),
  overrides: TestOverrides = {},
): Runtime {
  const standIns: Partial<Stores> = {};
  const platform: Partial<Platform> = {};
  for (const [name, value] of Object.entries(overrides)) {
    if (STORE_NAMES.has(name)) Object.assign(standIns, { [name]: value });
    else Object.assign(platform, { [name]: value });
  }
  return createRuntime(database, testConfig(overrides), {
    rateLimiter: new TokenBucketLimiter(TEST_RATE_LIMIT_PER_MINUTE),
    clientAddress: () => 'unknown',
    dispatchAfterWrites: false,
    ...platform,
    logger,
    stores: Object.keys(standIns).length > 0 ? (stores) => ({ ...stores, ...standIns }) : undefined,
  });
}
