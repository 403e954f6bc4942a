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
  // The soak's verdict and plot, on synthetic series: the soak itself is never part of npm test.
  'bench/soak/**/*.test.ts',
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
            // ADMIN_API_KEY as `wrangler secret put` would set it in production. The rate limit is
            // production's (wrangler.toml's binding, RATE_LIMIT_PER_MINUTE's default): each test
            // file runs in a Miniflare of its own, so its limiter and D1 start empty, and the
            // busiest file sends a few hundred requests as that key. test/api/drivers.workerd.ts
            // checks both, so a file that outgrows the quota fails by name, not with a stray 429.
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: migrations,
                ADMIN_API_KEY: TEST_ADMIN_KEY,
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
