/**
 * Node entry: parse config, open the database once, serve `createApp`, and shut down cleanly on
 * SIGTERM/SIGINT (stop accepting, let in-flight requests finish, then close the database).
 */
import { serve } from '@hono/node-server';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { openConfiguredDatabase } from '../../db/open.js';
import { ConfigError, mailSettings, parseConfig } from '../../shared/config.js';
import { createJsonLogger } from '../../shared/logger.js';
import { TokenBucketLimiter } from '../../shared/rate-limit.js';
import {
  ensureFirstStartKey,
  firstStartKeyFile,
  FirstStartKeyFileError,
} from './first-start-key.js';
import { defaultDashboardAssets } from './node-dashboard.js';
import { compression } from './node-compression.js';
import { nodeSecureHeaders } from './node-secure-headers.js';
import { createProcessMetrics } from './node-metrics.js';
import { nodeHashSecret } from './node-hash.js';
import { httpServerOptions, limitConnections } from './node-http-limits.js';
import { createNodeLogger } from './node-logger.js';
import { nodeClientAddress } from './node-client-address.js';
import { nodeDatabaseBackup } from './node-backup.js';
import { checkAtStart, RESTORE_ADVICE } from './node-integrity.js';
import { startSweeping } from './node-sweeps.js';
import { nodeWebhookFetch } from './node-webhook-fetch.js';
import { nodeWebhookResolver } from './node-webhook-resolver.js';
import { traceRequests } from '../http/middleware/tracing.js';
import { nodeMailer } from './node-mailer.js';
import { createRuntime } from './runtime.js';

const SHUTDOWN_GRACE_MS = 10_000;
function loadConfig() {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createJsonLogger().error(error.message);
    process.exit(1);
  }
}

const config = loadConfig();
const logger = createNodeLogger(config.LOG_LEVEL);
// Before the migrations write to it: a damaged file is refused, with what to do about it.
const integrity = await checkAtStart(config, logger);
if (integrity.verdict === 'damaged') {
  logger.error(`the database file is damaged: refusing to serve it. ${RESTORE_ADVICE}`, {
    file: config.DATABASE_FILE,
    check: config.INTEGRITY_CHECK_AT_START,
    problems: integrity.problems.slice(0, 5),
  });
  await logger.flush();
  process.exit(1);
}
const { database, location } = await openConfiguredDatabase(config);
// Swagger UI's files for GET /api/docs, read from the swagger-ui-dist package.
const swaggerUiDir = dirname(
  createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'),
);
const CONTENT_TYPES: Record<string, string> = {
  css: 'text/css',
  js: 'text/javascript',
  png: 'image/png',
};
const docsAssets = async (file: string) => {
  const type = CONTENT_TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream';
  return new Response(await readFile(join(swaggerUiDir, file)), {
    headers: { 'Content-Type': type },
  });
};

if (!config.AUTH) {
  logger.warn('AUTH=off: authentication is disabled; anyone who reaches this port is an admin', {
    port: config.PORT,
  });
}
// Tracing only when a collector is configured: otherwise no OpenTelemetry module is even loaded.
const tracing = config.OTEL_EXPORTER_OTLP_ENDPOINT
  ? (await import('./node-tracing.js')).createNodeTracing({
      endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: config.OTEL_SERVICE_NAME,
      scheduleDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
      logger,
    })
  : undefined;

const mail = mailSettings(config) ?? undefined;
const runtime = createRuntime(database, config, {
  logger,
  hashSecret: nodeHashSecret,
  // Names are checked by what they resolve to, and the request connects to exactly those addresses.
  webhookResolver: nodeWebhookResolver,
  webhookFetch: nodeWebhookFetch,
  mailer: mail && nodeMailer(mail),
  // GET /api/admin/backup: a copy of the SQLite file; a libSQL server has its own tools (501).
  backup:
    database.driver === 'better-sqlite3' ? nodeDatabaseBackup(config.DATABASE_FILE) : undefined,
  // The file outlives its key only until it is revoked (functions/runtime/first-start-key.ts).
  onKeyRevoked: async (key) => void (await firstKey.forget(key)),
  // In process: the limit holds per Node process (docs/security.md).
  rateLimiter:
    config.RATE_LIMIT_PER_MINUTE > 0
      ? new TokenBucketLimiter(config.RATE_LIMIT_PER_MINUTE)
      : undefined,
  // Behind nginx or an ingress, the client its X-Forwarded-For names, if it is a TRUSTED_PROXIES
  // address; otherwise every anonymous caller would share the proxy's bucket.
  clientAddress: nodeClientAddress(config.TRUSTED_PROXIES),
  // Right after a write too, so a delivery need not wait for the next interval: one pass in
  // flight at a time, which costs one indexed read when nothing is due (docs/alerts.md).
  dispatchAfterWrites: config.WEBHOOK_DISPATCH_INTERVAL_SECONDS > 0,
  // Health on time: a timer for the next late or down deadline; the sweep is its backstop.
  healthTimer: config.SWEEP_INTERVAL_SECONDS > 0,
  tracing: tracing && { requests: traceRequests(tracing.tracer), stores: tracing.traceStores },
  docsAssets,
  // The dashboard's build (dist/web), served at /; the API alone when it was not built.
  dashboardAssets: (await defaultDashboardAssets()) ?? undefined,
  processMetrics: createProcessMetrics(database.storage),
  compression: compression(),
  secureHeaders: await nodeSecureHeaders(),
});
const { dispatcher, maintenance, trigger: afterWrites, healthTimer } = runtime;
// Revoking the key removes the file; one whose key already was is named in the log.
const firstKey = firstStartKeyFile(config, runtime.stores.apiKeys, nodeHashSecret, logger);

try {
  await ensureFirstStartKey(config, runtime.services.apiKeys, logger);
} catch (error) {
  if (!(error instanceof FirstStartKeyFileError)) throw error;
  logger.error(error.message);
  await logger.flush();
  process.exit(1);
}
await firstKey.warnIfStale();
const app = runtime.app;

const server = serve(
  { fetch: app.fetch, port: config.PORT, serverOptions: httpServerOptions(config) },
  (info) => {
    logger.info('startup', {
      port: info.port,
      driver: database.driver,
      database: location,
      env: config.NODE_ENV,
      auth: config.AUTH ? 'on' : 'off',
      adminApiKey: config.ADMIN_API_KEY ? 'set' : 'unset',
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      trustedProxies: config.TRUSTED_PROXIES.length,
      tracing: tracing ? 'otlp' : 'off',
      integrityCheck: `${integrity.verdict} (${config.INTEGRITY_CHECK_AT_START}, ${integrity.ms} ms)`,
      sweepIntervalSeconds: config.SWEEP_INTERVAL_SECONDS,
      pid: process.pid,
    });
  },
) as Server;
limitConnections(server, config);

// Lost runs failed and expired idempotency keys deleted, from this process, every
// SWEEP_INTERVAL_SECONDS (docs/api-spec.md#heartbeats-and-lost-runs).
const sweeps =
  config.SWEEP_INTERVAL_SECONDS > 0
    ? startSweeping(
        () => maintenance.tick(new Date()),
        config.SWEEP_INTERVAL_SECONDS * 1000,
        logger,
      )
    : undefined;

// The webhook outbox, delivered from this process every WEBHOOK_DISPATCH_INTERVAL_SECONDS; other
// processes over the same database may dispatch too: deliveries are leased (docs/alerts.md).
const dispatches =
  config.WEBHOOK_DISPATCH_INTERVAL_SECONDS > 0
    ? startSweeping(
        () => dispatcher.drain(),
        config.WEBHOOK_DISPATCH_INTERVAL_SECONDS * 1000,
        logger,
        'webhook dispatch failed',
      )
    : undefined;
// The health timer's last pass may kick a dispatch pass: wait for that one after it.
const stopLoops = () =>
  Promise.all([sweeps?.stop(), healthTimer?.stop(), dispatches?.stop()]).then(() =>
    afterWrites?.idle(),
  );

server.on('error', (error) => {
  logger.error('server error', { error: error.message });
  void Promise.resolve(stopLoops())
    .then(() => database.close())
    .finally(async () => {
      await logger.flush();
      process.exit(1);
    });
});

let shuttingDown = false;
function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info('shutdown started', { signal });
  // No new sweep from now on; one under way finishes before the database closes.
  const sweepsStopped = stopLoops();
  const force = setTimeout(() => {
    logger.warn('shutdown grace period over; closing remaining connections', {
      graceMs: SHUTDOWN_GRACE_MS,
    });
    server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  server.close(async () => {
    // Every request has ended, so have their spans: export what is still queued.
    await tracing?.shutdown();
    await sweepsStopped;
    await database.close();
    logger.info('shutdown complete', { signal });
    await logger.flush();
    process.exit(0);
  });
  // Idle keep-alive sockets would hold close() open until they time out.
  server.closeIdleConnections();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
