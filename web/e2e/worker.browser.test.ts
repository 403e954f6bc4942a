import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { startWranglerDev } from '../../test/support/wrangler-dev.js';
import { launchChromium } from '../../test/support/chromium.js';
import { requireDashboardBuild } from '../../test/browser/browser.js';
import { dashboardFlow } from '../../test/browser/flow.js';

/** The same dashboard from the Worker's static assets, on workerd with a local D1 (`wrangler dev`). */
describe('the dashboard in Chromium, on `npm run dev:worker`', () => {
  const state = mkdtempSync(join(tmpdir(), 'chronotrack-wrangler-web-'));
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    rmSync(state, { recursive: true, force: true });
  });

  it('serves the dashboard and its flow works end to end', async () => {
    requireDashboardBuild();
    const worker = await startWranglerDev({
      persistTo: state,
      vars: { ADMIN_API_KEY: TEST_ADMIN_KEY, RATE_LIMIT_PER_MINUTE: '0' },
    });
    const base = worker.baseUrl;
    try {
      // The routing rules of the Node server, from the Worker's assets.
      const index = await fetch(`${base}/jobs/1`, { headers: { Accept: 'text/html' } });
      expect(index.status).toBe(200);
      expect(index.headers.get('Cache-Control')).toBe('no-cache');
      const html = await index.text();
      expect(html).toContain('<div id="root">');
      const asset = html.match(/\/assets\/[^"]+\.js/)![0];
      const script = await fetch(base + asset);
      expect(script.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
      expect((await fetch(`${base}/api/nope`, { headers: { Accept: 'text/html' } })).status).toBe(
        401,
      );
      expect((await fetch(`${base}/runs`)).status).toBe(404); // an API client: the moved-path 404
      expect((await fetch(`${base}/api/docs/assets/swagger-ui.css`)).status).toBe(200);

      browser = await launchChromium();
      await dashboardFlow(browser, base, TEST_ADMIN_KEY);
    } finally {
      await worker.stop();
    }
  }, 180_000);
});
