import { defineConfig } from 'vitest/config';

// `DASHBOARD_URL=... ADMIN_KEY=... npx vitest run --config web/e2e/vitest.url.config.mts`: the
// dashboard flow against a running deployment (scripts/smoke.sh, through nginx).
export default defineConfig({
  test: { include: ['web/e2e/url-flow.check.ts'], testTimeout: 120_000, root: '.' },
});
