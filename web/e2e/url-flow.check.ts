import { afterAll, describe, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../test/support/chromium.js';
import { dashboardFlow } from '../../test/browser/flow.js';

/**
 * The dashboard flow against a running deployment, for the container smoke test
 * (scripts/smoke.sh runs it through nginx): DASHBOARD_URL and ADMIN_KEY say where and with what.
 * Not part of `npm test` (it needs a server it does not start): web/e2e/vitest.url.config.mts.
 */
describe(`the dashboard at ${process.env.DASHBOARD_URL}`, () => {
  let browser: Browser | undefined;
  afterAll(() => browser?.close());

  it('lets a person trigger a run, fail it, and find it by its filter; a read key cannot', async () => {
    const url = process.env.DASHBOARD_URL;
    const key = process.env.ADMIN_KEY;
    if (!url || !key) throw new Error('set DASHBOARD_URL and ADMIN_KEY');
    browser = await launchChromium();
    await dashboardFlow(browser, url, key);
  }, 120_000);
});
