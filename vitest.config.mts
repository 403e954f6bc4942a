import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { TEST_ADMIN_KEY } from './test/support/keys.js';
import { ensureWorkerAssets } from './scripts/worker-assets.mjs';

const NODE_TESTS = [
  'cli/**/*.test.ts',
  'functions/**/*.test.ts',
  'shared/**/*.test.ts',
  'db/**/*.test.ts',
  'web/e2e/**/*.test.ts',
  'deploy/**/*.test.ts',
  'load/**/*.test.ts',
  'scripts/**/*.test.ts',
];
const WORKERS_TESTS = ['**/*.workers.test.ts'];
/** The HTTP API tests, run on every driver of each project they are in (test/api/every-driver.ts). */
const API_TESTS = ['**/*.api.test.ts'];
/** `#api-drivers` in each project: the drivers that project's runtime has. */
const apiDrivers = (runtime: 'node' | 'workerd') => ({
  alias: {
    '#api-drivers': fileURLToPath(new URL(`./test/api/drivers.${runtime}.ts`, import.meta.url)),
  },
});
const WORKERS_TEST_RATE_LIMIT = 2400;

// wrangler.toml's [assets] folder must exist before the Workers project reads it.
ensureWorkerAssets();

// The same migrations folder every runtime uses, handed to the Workers tests to apply to D1.
const migrations = await readD1Migrations('db/migrations');

/**
 * The Workers tests' network: every fetch the Worker under test makes goes through this Worker.
 * The loopback receiver (test/support/webhook-receiver-setup.ts) is reached as before,
 * by workerd over TCP; any other host (the suites' hooks.example.com) is answered 502 here and
 * never looked up. Otherwise the after-write webhook pass sends real requests out, and on a host
 * without DNS workerd prints each lookup failure as an "uncaught exception" with a stack trace,
 * although the dispatcher catches and records it.
 */
const OFFLINE_OUTBOUND = `export default {
  fetch(request) {
    const { hostname } = new URL(request.url);
    if (hostname === '127.0.0.1') return fetch(request);
    return new Response('no network in the Workers tests: ' + hostname, { status: 502 });
  },
};`;

/**
 * standardwebhooks (a test dependency) ships dist/*.js with source maps naming ../src/*.ts, which
 * its package leaves out, so Vite warned on every Workers run that the "Sourcemap for
 * .../standardwebhooks/dist/index.js points to missing source files". Its files load here
 * without their maps: stack traces in it point at dist/, as they would with the maps unresolved.
 */
const standardWebhooksWithoutMaps: Plugin = {
  name: 'standardwebhooks-without-source-maps',
  enforce: 'pre',
  load(id) {
    if (!/\/node_modules\/standardwebhooks\/dist\/[^/]+\.js$/.test(id)) return null;
    return {
      code: readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, ''),
      map: null,
    };
  },
};

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The app's JSON log lines (the Worker logs to stdout) would drown the test report.
    onConsoleLog: (log) => !log.startsWith('{"time"'),
    projects: [
      {
        extends: true,
        resolve: apiDrivers('node'),
        test: {
          name: 'node',
          include: NODE_TESTS,
          exclude: [...WORKERS_TESTS, '**/node_modules/**'],
        },
      },
      {
        extends: true,
        resolve: apiDrivers('workerd'),
        plugins: [
          standardWebhooksWithoutMaps,
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // ADMIN_API_KEY as `wrangler secret put` would set it in production. The HTTP API
            // tests run as that one key through the real RATE_LIMITER binding in about half a
            // minute, ~1,200 requests: at production's 1,200 a minute it was refused 429 near its
            // end whenever the run sat inside one fixed window. Twice that here, the var and the
            // binding kept equal as wrangler.toml asks; the rate-limit test reads the quota.
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: migrations,
                ADMIN_API_KEY: TEST_ADMIN_KEY,
                RATE_LIMIT_PER_MINUTE: String(WORKERS_TEST_RATE_LIMIT),
              },
              ratelimits: {
                RATE_LIMITER: {
                  namespace_id: '1001',
                  simple: { limit: WORKERS_TEST_RATE_LIMIT, period: 60 },
                },
              },
              outboundService: 'offline-outbound',
              workers: [
                {
                  name: 'offline-outbound',
                  modules: true,
                  script: OFFLINE_OUTBOUND,
                  compatibilityDate: '2026-04-01',
                },
              ],
            },
          }),
        ],
        test: {
          name: 'workers',
          include: [...WORKERS_TESTS, ...API_TESTS],
          setupFiles: ['./test/workers/apply-d1-migrations.ts'],
          // A webhook receiver on loopback, in Node, that the Worker under test delivers to; and
          // a guard that fails the run when workerd prints an uncaught exception.
          globalSetup: [
            './test/support/webhook-receiver-setup.ts',
            './test/workers/workerd-output-guard.ts',
          ],
        },
      },
      {
        // The dashboard's components, in happy-dom, found by role and label as a person would.
        extends: true,
        plugins: [react()],
        test: {
          name: 'web',
          include: ['web/src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['./test/web/setup.ts'],
        },
      },
    ],
  },
});
