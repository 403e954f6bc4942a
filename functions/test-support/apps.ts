import type { Database } from '../../db/database.js';
import { drizzleStores, memoryStores } from '../../db/stores.js';
import { createJsonLogger, type Logger } from '../../shared/logger.js';
import { TokenBucketLimiter } from '../../shared/rate-limit.js';
import { createApp, type AppDeps } from '../http/app.js';
import type { ApiTarget } from './client.js';
import { TEST_ADMIN_KEY } from './keys.js';

export { TEST_ADMIN_KEY } from './keys.js';

/** The rate limit every test target runs with: the default, as users get it. */
export const TEST_RATE_LIMIT_PER_MINUTE = 1200;

/** The app over a real database, as a runtime entry builds it (silent unless given a logger). */
export function appOver(
  database: Database,
  logger: Logger = createJsonLogger({ silent: true }),
  overrides: Partial<AppDeps> = {},
) {
  return createApp({
    ...drizzleStores(database),
    logger,
    adminApiKey: TEST_ADMIN_KEY,
    rateLimiter: new TokenBucketLimiter(TEST_RATE_LIMIT_PER_MINUTE),
    ...overrides,
  });
}

/** The app over in-memory stores: enough to read its OpenAPI document. */
export function inMemoryApp() {
  return createApp({ ...memoryStores(), logger: createJsonLogger({ silent: true }) });
}

/** An app as a fetch target for the runtime-neutral suites (`app.request`, no network). */
export const requestTarget = (app: ReturnType<typeof createApp>): ApiTarget => ({
  fetch: (path, init) => Promise.resolve(app.request(path, init)),
});
