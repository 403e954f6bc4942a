/**
 * Workers entry: validates the bindings and vars once per isolate, builds the stores over the D1
 * binding and serves the same createApp as Node. Migrations are applied by wrangler, not at
 * request time.
 */
import type { D1Database, ExecutionContext, ScheduledController } from '@cloudflare/workers-types';
import { openD1 } from '../../db/d1.js';
import {
  AccessConfigSchema,
  ConfigError,
  mailSettings,
  parseWith,
  type AccessConfig,
} from '../../shared/config.js';
import { errorMessage } from '../../shared/errors.js';
import { createJsonLogger, type Logger } from '../../shared/logger.js';
import type { RateLimiter } from '../../shared/rate-limit.js';
import { createUnavailableApp } from '../http/app.js';
import { createRuntime, type Runtime } from './runtime.js';
import { workerMailer } from './worker-mailer.js';

/** The Workers Rate Limiting binding (`[[ratelimits]]` in wrangler.toml). */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

export interface WorkerEnv {
  DB?: D1Database;
  /** Static assets (wrangler.toml [assets]): the dashboard, and Swagger UI's files under swagger-ui/. */
  ASSETS?: { fetch(input: string): Promise<Response> };
  RATE_LIMITER?: RateLimitBinding;
  /**
   * Vars and secrets: AUTH, ADMIN_API_KEY, RATE_LIMIT_PER_MINUTE, CORS_ORIGINS, LOG_LEVEL, the
   * webhook settings, PUBLIC_URL, SMTP_URL and SMTP_FROM.
   */
  [name: string]: unknown;
}

/**
 * The binding enforces the quota configured in wrangler.toml (per Cloudflare location, over
 * fixed windows); it does not say how much is left, so `RateLimit` carries no `r` here.
 * RATE_LIMIT_PER_MINUTE must match the binding's `limit`: it is what the headers announce.
 */
export function bindingLimiter(binding: RateLimitBinding, perMinute: number): RateLimiter {
  return {
    async check(key) {
      const { success } = await binding.limit({ key });
      const untilNextWindow = 60 - (Math.floor(Date.now() / 1000) % 60);
      return {
        allowed: success,
        limit: perMinute,
        windowSeconds: 60,
        remaining: null,
        resetSeconds: untilNextWindow,
      };
    },
  };
}

/** What an isolate builds once per D1 binding: the runtime (the app, what its Cron Trigger runs). */
interface Isolate {
  binding: D1Database;
  runtime: Runtime;
  logger: Logger;
}

/** Where a worker keeps its isolate between events. */
interface IsolateCache {
  isolate?: Isolate;
}

function isolateFor(
  env: WorkerEnv & { DB: D1Database },
  config: AccessConfig,
  cache: IsolateCache,
): Isolate {
  if (cache.isolate?.binding !== env.DB) {
    const logger = createJsonLogger({ level: config.LOG_LEVEL });
    const database = openD1(env.DB);
    const assets = env.ASSETS;
    if (!config.AUTH) logger.warn('AUTH=off: authentication is disabled; anyone is an admin');
    if (config.RATE_LIMIT_PER_MINUTE > 0 && !env.RATE_LIMITER)
      logger.warn('no RATE_LIMITER binding: requests are not rate limited');
    const mail = mailSettings(config);
    const runtime = createRuntime(database, config, {
      logger,
      // SMTP over workerd's TCP sockets, a connection per message, opened in the request or
      // waitUntil that sends it (a socket cannot outlive its event).
      mailer: mail ? workerMailer(mail) : undefined,
      // No resolver: Workers' fetch cannot reach private ranges; literal addresses are still checked.
      rateLimiter:
        config.RATE_LIMIT_PER_MINUTE > 0 && env.RATE_LIMITER
          ? bindingLimiter(env.RATE_LIMITER, config.RATE_LIMIT_PER_MINUTE)
          : undefined,
      clientAddress: (c) => c.req.header('CF-Connecting-IP') ?? 'unknown',
      defer: (c, work) => c.executionCtx.waitUntil(work),
      // Deliveries seconds after the write that queued them, in waitUntil, not a minute later on
      // the Cron Trigger (which still delivers retries and anything a cancelled pass left).
      dispatchAfterWrites: true,
      docsAssets:
        assets &&
        (async (file) => {
          const response = await assets.fetch(`https://assets.invalid/swagger-ui/${file}`);
          return response.ok ? response : null;
        }),
      dashboardAssets:
        assets &&
        (async (path) => {
          // The asset server answers /index.html with a redirect to /: ask for / directly.
          const file = path === '/index.html' ? '/' : path;
          const response = await assets.fetch(`https://assets.invalid${file}`);
          return response.ok ? response : null;
        }),
      // No processMetrics: an isolate's own figures would describe one of many; GET /metrics
      // serves the job metrics, read from D1.
    });
    cache.isolate = { binding: env.DB, runtime, logger };
    logger.info('startup', {
      runtime: 'workers',
      driver: database.driver,
      auth: config.AUTH ? 'on' : 'off',
      adminApiKey: config.ADMIN_API_KEY ? 'set' : 'unset',
    });
  }
  return cache.isolate;
}

const bootLogger = createJsonLogger();

/** The bindings and vars checked once per event: the isolate, or a reason it cannot serve. */
function prepare(env: WorkerEnv, cache: IsolateCache): Isolate | { failure: string } {
  if (!env.DB) {
    bootLogger.error('missing D1 binding DB');
    return {
      failure:
        'The Worker has no D1 binding named DB; add [[d1_databases]] with binding = "DB" to wrangler.toml.',
    };
  }
  let config: AccessConfig;
  try {
    config = parseWith(AccessConfigSchema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Names the variable, never its value.
    bootLogger.error(error.message);
    return { failure: `${error.message}. Fix the Worker's vars or secrets.` };
  }
  return isolateFor(env as WorkerEnv & { DB: D1Database }, config, cache);
}

/**
 * The Worker's handlers with an isolate cache of their own: the default export is one; a test
 * builds another to serve with other vars over the same D1 binding.
 */
export const createWorker = () => {
  const cache: IsolateCache = {};
  return {
    fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response> {
      const isolate = prepare(env, cache);
      // Through the app's error path all the same: request id, security headers, problem body.
      const app =
        'failure' in isolate ? createUnavailableApp(isolate.failure) : isolate.runtime.app;
      return app.fetch(request, env, ctx);
    },

    /**
     * The Cron Trigger of wrangler.toml (`[triggers] crons`): one sweep of lost runs, and expired
     * idempotency keys deleted (functions/runtime/node.ts does the same on an interval). Its clock is
     * the later of the event's scheduledTime and now: a delayed event sweeps as of when it runs.
     * A failure is logged and rethrown, so the Cron Events list shows the invocation failed.
     */
    async scheduled(controller: ScheduledController, env: WorkerEnv): Promise<void> {
      const isolate = prepare(env, cache);
      if ('failure' in isolate) throw new Error(isolate.failure);
      const now = new Date(Math.max(controller.scheduledTime, Date.now()));
      // Webhooks go out on the same trigger, whatever the sweep does (a failure of one is logged).
      const delivered = isolate.runtime.dispatcher.drain().catch((error: unknown) => {
        isolate.logger.error('webhook dispatch failed', {
          error: errorMessage(error),
        });
      });
      try {
        await isolate.runtime.maintenance.tick(now);
        await delivered;
      } catch (error) {
        await delivered;
        isolate.logger.error('sweep failed', {
          error: errorMessage(error),
        });
        throw error;
      }
    },
  };
};

export default createWorker();
