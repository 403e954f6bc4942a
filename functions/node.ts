/**
 * Node entry: parse config, open the database once, serve `createApp`, and shut down cleanly on
 * SIGTERM/SIGINT (stop accepting, let in-flight requests finish, then close the database).
 */
import { serve } from '@hono/node-server';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DrizzleJobRepository, DrizzleJobRunRepository } from '../db/drizzle-repositories.js';
import { openConfiguredDatabase } from '../db/open.js';
import { ConfigError, parseConfig } from '../shared/config.js';
import { createJsonLogger } from '../shared/logger.js';
import { createApp } from './app.js';

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
const logger = createJsonLogger({ level: config.LOG_LEVEL });
const { database, location } = await openConfiguredDatabase(config);
// Swagger UI's files for GET /docs, read from the swagger-ui-dist package.
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

const app = createApp({
  docsAssets,
  jobs: new DrizzleJobRepository(database.db),
  runs: new DrizzleJobRunRepository(database.db),
  probe: database.probe,
  logger,
});

const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
  logger.info('startup', {
    port: info.port,
    driver: database.driver,
    database: location,
    env: config.NODE_ENV,
    pid: process.pid,
  });
}) as Server;

server.on('error', (error) => {
  logger.error('server error', { error: error.message });
  void database.close().finally(() => process.exit(1));
});

let shuttingDown = false;
function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info('shutdown started', { signal });
  const force = setTimeout(() => {
    logger.warn('shutdown grace period over; closing remaining connections', {
      graceMs: SHUTDOWN_GRACE_MS,
    });
    server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  server.close(async () => {
    await database.close();
    logger.info('shutdown complete', { signal });
    process.exit(0);
  });
  // Idle keep-alive sockets would hold close() open until they time out.
  server.closeIdleConnections();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
