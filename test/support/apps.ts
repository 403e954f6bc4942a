import { openBetterSqlite } from '../../db/better-sqlite3.js';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../shared/logger.js';
import type { App } from '../../functions/http/app.js';
import type { ApiTarget } from './client.js';
import { testRuntime, type TestOverrides } from './runtime.js';

export { TEST_ADMIN_KEY } from './keys.js';
export { TEST_RATE_LIMIT_PER_MINUTE } from './runtime.js';

/** The app over a real database, as a runtime entry builds it (silent unless given a logger). */
export function appOver(database: Database, logger?: Logger, overrides: TestOverrides = {}): App {
  return testRuntime(database, logger, overrides).app;
}

/** The app over a fresh SQLite `:memory:` database: enough to read its OpenAPI document. */
export function inMemoryApp(): App {
  return appOver(openBetterSqlite(':memory:'));
}

/** An app as a fetch target for the runtime-neutral suites (`app.request`, no network). */
export const requestTarget = (app: App): ApiTarget => ({
  fetch: (path, init) => Promise.resolve(app.request(path, init)),
});
