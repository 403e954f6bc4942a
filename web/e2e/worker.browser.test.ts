import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../functions/test-support/keys.js';
import { freePort } from '../../functions/test-support/node-process.js';
import { launchChromium } from '../../functions/test-support/chromium.js';
import { requireDashboardBuild } from './browser.js';
import { dashboardFlow } from './flow.js';

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
    const port = await freePort();
    const child = spawn(
      'npm',
      [
        'run',
        'dev:worker',
        '--',
        '--port',
        String(port),
        '--ip',
        '127.0.0.1',
        '--persist-to',
        state,
        '--var',
        `ADMIN_API_KEY:${TEST_ADMIN_KEY}`,
        '--var',
        'RATE_LIMIT_PER_MINUTE:0',
      ],
      {
        // Built once before the tests (pretest), like the Worker's assets folder.
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', SKIP_WEB_BUILD: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const base = `http://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 90_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`dev:worker exited early:\n${output}`);
        if (Date.now() > deadline) throw new Error(`dev:worker did not answer:\n${output}`);
        const health = await fetch(`${base}/health`).catch(() => undefined);
        if (health?.ok) break;
        await new Promise((r) => setTimeout(r, 250));
      }
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
      const exited = new Promise((resolve) => child.on('exit', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  }, 180_000);
});
