import type { Database } from '../../db/database.js';
import { DrizzleJobRepository, DrizzleJobRunRepository } from '../../db/drizzle-repositories.js';
import { MemoryJobRepository, MemoryJobRunRepository } from '../../db/memory-repositories.js';
import { createJsonLogger, type Logger } from '../../shared/logger.js';
import { createApp } from '../app.js';
import type { ApiTarget } from './client.js';

/** The app over a real database, as a runtime entry builds it (silent unless given a logger). */
export function appOver(database: Database, logger: Logger = createJsonLogger({ silent: true })) {
  return createApp({
    jobs: new DrizzleJobRepository(database.db),
    runs: new DrizzleJobRunRepository(database.db),
    probe: database.probe,
    logger,
  });
}

/** The app over in-memory stores: enough to read its OpenAPI document. */
export function inMemoryApp() {
  const jobs = new MemoryJobRepository();
  return createApp({
    jobs,
    runs: new MemoryJobRunRepository(jobs),
    probe: async () => {},
    logger: createJsonLogger({ silent: true }),
  });
}

/** An app as a fetch target for the runtime-neutral suites (`app.request`, no network). */
export const requestTarget = (app: ReturnType<typeof createApp>): ApiTarget => ({
  fetch: (path, init) => Promise.resolve(app.request(path, init)),
});
