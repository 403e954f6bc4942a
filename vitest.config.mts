import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { TEST_ADMIN_KEY } from './functions/test-support/keys.js';
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

// wrangler.toml's [assets] folder must exist before the Workers project reads it.
ensureWorkerAssets();

// The same migrations folder every runtime uses, handed to the Workers tests to apply to D1.
const migrations = await readD1Migrations('db/migrations');

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The app's JSON log lines (the Worker logs to stdout) would drown the test report.
    onConsoleLog: (log) => !log.startsWith('{"time"'),
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: NODE_TESTS,
          exclude: [...WORKERS_TESTS, '**/node_modules/**'],
        },
      },
      {
        extends: true,
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // ADMIN_API_KEY as `wrangler secret put` would set it in production.
            miniflare: { bindings: { TEST_MIGRATIONS: migrations, ADMIN_API_KEY: TEST_ADMIN_KEY } },
          }),
        ],
        test: {
          name: 'workers',
          include: WORKERS_TESTS,
          setupFiles: ['./functions/test-support/apply-d1-migrations.ts'],
          // A webhook receiver on loopback, in Node, that the Worker under test delivers to.
          globalSetup: ['./functions/test-support/webhook-receiver-setup.ts'],
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
          setupFiles: ['./web/src/test/setup.ts'],
        },
      },
    ],
  },
});
