/**
 * The API tests' driver in the `workers` project (vitest.config.mts maps `#api-drivers` here):
 * D1, with requests through the Worker's real entry (functions/runtime/worker.ts), bindings and
 * all.
 */
import { env, SELF } from 'cloudflare:test';
import { openD1 } from '../../db/d1.js';
import { drizzleStores } from '../../db/stores.js';
import type { ApiTarget } from '../support/client.js';
import { testRuntime } from '../support/runtime.js';
import type { ApiDriver } from './driver.js';

export const drivers: ApiDriver[] = [
  {
    name: 'HTTP API on the Workers runtime + D1 (workerd via Miniflare)',
    async open() {
      return {
        target: { fetch: (path, init) => SELF.fetch(`http://chronotrack.test${path}`, init) },
        stores: () => drizzleStores(openD1(env.DB)),
        // Other isolates' apps over the same D1 database: the stores, a clock, a held request.
        appWith: (overrides): ApiTarget => {
          const { app } = testRuntime(openD1(env.DB), undefined, {
            rateLimiter: undefined,
            ...overrides,
          });
          return { fetch: (path, init) => Promise.resolve(app.request(path, init)) };
        },
        close: async () => {},
      };
    },
  },
];
