/**
 * The API tests' driver in the `workers` project (vitest.config.mts maps `#api-drivers` here):
 * D1, with requests through the Worker's real entry (functions/runtime/worker.ts), bindings and
 * all, at production's rate limit.
 */
import { env, SELF } from 'cloudflare:test';
import { openD1 } from '../../db/d1.js';
import { drizzleStores } from '../../db/stores.js';
import type { ApiTarget } from '../support/client.js';
import { TEST_ADMIN_KEY } from '../support/keys.js';
import { TEST_RATE_LIMIT_PER_MINUTE, testRuntime } from '../support/runtime.js';
import type { ApiDriver } from './driver.js';

export const drivers: ApiDriver[] = [
  {
    name: 'HTTP API on the Workers runtime + D1 (workerd via Miniflare)',
    async open() {
      // Every request of a file goes as the one admin key through the real RATE_LIMITER, which
      // counts in fixed windows. Two facts keep that from refusing a test: each file runs in a
      // Miniflare of its own (the limiter and D1 start empty; an empty D1 shows it), and a file
      // sends fewer requests as the key than the quota (counted, and held to it on close).
      const { count } = (await env.DB.prepare('SELECT COUNT(*) AS count FROM jobs').first<{
        count: number;
      }>())!;
      if (count !== 0) {
        throw new Error(
          `D1 holds ${count} jobs before this file's tests: the workers project must run each ` +
            'file in a Miniflare of its own (vitest isolate), or the rate limit is shared',
        );
      }
      let adminRequests = 0;
      return {
        target: {
          fetch: (path, init) => {
            const auth = new Headers(init?.headers).get('Authorization');
            if (auth === `Bearer ${TEST_ADMIN_KEY}`) adminRequests++;
            return SELF.fetch(`http://chronotrack.test${path}`, init);
          },
        },
        stores: () => drizzleStores(openD1(env.DB)),
        // Other isolates' apps over the same D1 database: the stores, a clock, a held request.
        appWith: (overrides): ApiTarget => {
          const { app } = testRuntime(openD1(env.DB), undefined, {
            rateLimiter: undefined,
            ...overrides,
          });
          return { fetch: (path, init) => Promise.resolve(app.request(path, init)) };
        },
        async close() {
          if (adminRequests >= TEST_RATE_LIMIT_PER_MINUTE) {
            throw new Error(
              `${adminRequests} requests as the admin key in one file, over the ` +
                `${TEST_RATE_LIMIT_PER_MINUTE}-a-minute quota: split the file`,
            );
          }
        },
      };
    },
  },
];
