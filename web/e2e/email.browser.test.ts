import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireDashboardBuild } from '../../test/browser/browser.js';
import { screenshot } from '../../test/browser/screenshots.js';
import { launchChromium } from '../../test/support/chromium.js';
import { client } from '../../test/support/client.js';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import {
  freePort,
  startNodeServer,
  stopNodeServer,
  type NodeServer,
} from '../../test/support/node-process.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../test/support/smtp-receiver.js';

/**
 * What an on-call engineer gets, end to end: `npm start` with SMTP_URL and PUBLIC_URL, an email
 * channel made through the API, a job that fails; the message lands in a real SMTP server, its
 * HTML part is opened in Chromium (the screenshot docs/alerts.md shows) and its link is followed
 * to the run's page in the dashboard, which shows the same failure.
 */
describe('a failed job by email, read in a browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-email-'));
  let smtp: SmtpReceiver;
  let server: NodeServer;
  let browser: Browser;

  beforeAll(async () => {
    requireDashboardBuild();
    smtp = await startSmtpReceiver();
    const port = String(await freePort());
    server = await startNodeServer({
      PORT: port,
      DATABASE_FILE: join(dir, 'email.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      // The address people reach this server at: the links in the message point here.
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SMTP_URL: smtp.url,
      SMTP_FROM: 'ChronoTrack <chronotrack@example.com>',
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) await stopNodeServer(server);
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the job and the error, and its link opens the failed run', async () => {
    const api = client(
      { fetch: (path, init) => fetch(server.baseUrl + path, init) },
      TEST_ADMIN_KEY,
    );
    const project = (await api.post('/api/projects', { name: 'Ops' })).body;
    const job = await api.job('Nightly backup', { projectId: project.id, key: 'nightly-backup' });
    const channel = await api.post('/api/channels', {
      name: 'Ops by email',
      type: 'email',
      config: { to: ['ops@example.com'] },
      events: ['run.failed', 'job.down', 'job.up'],
    });
    expect(channel.status, channel.text).toBe(201);

    const run = await api.run(job.id, { status: 'RUNNING' });
    const failed = await api.patch(`/api/runs/${run.id}`, {
      status: 'FAILED',
      // As `chronotrack exec` reports it: when the command started and ended.
      startedAt: new Date(Date.now() - 41_000).toISOString(),
      finishedAt: new Date().toISOString(),
      exitCode: 3,
      errorMessage: 'pg_dump: error: could not write to output file: No space left on device',
      output: [
        'dumping database "orders"',
        'dumping table public.orders (1,204,331 rows)',
        'dumping table public.order_items (5,870,112 rows)',
        'pg_dump: error: could not write to output file: No space left on device',
        'backup failed after 41 s',
      ].join('\n'),
    });
    expect(failed.status, failed.text).toBe(200);
    // Sent by the server's own dispatch, right after the write: nothing here drives it.
    await expect.poll(() => smtp.received.length, { timeout: 15_000 }).toBe(1);
    const { parsed } = smtp.received[0]!;
    expect(parsed.subject).toBe('[ChronoTrack] FAILED: Nightly backup (Ops)');

    const context = await browser.newContext({
      viewport: { width: 720, height: 360 },
      // A mail client runs no script; neither does this page.
      javaScriptEnabled: false,
    });
    const mail = await context.newPage();
    await mail.setContent(String(parsed.html));
    expect(await mail.getByRole('heading').textContent()).toBe('FAILED: Nightly backup (Ops)');
    const body = await mail.locator('body').innerText();
    for (const fact of ['Exit code', '3', 'No space left on device', 'backup failed after 41 s'])
      expect(body).toContain(fact);
    await screenshot(mail, dir, 'email-failed.png', { fullPage: true });

    const runLink = mail.getByRole('link', { name: 'Run in ChronoTrack' });
    expect(await runLink.getAttribute('href')).toBe(`${server.baseUrl}/runs/${run.id}`);
    const dashboard = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await dashboard.newPage();
    await page.goto((await runLink.getAttribute('href'))!);
    await page.getByLabel('API key').fill(TEST_ADMIN_KEY);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('No space left on device').first().waitFor();
    expect(page.url()).toBe(`${server.baseUrl}/runs/${run.id}`);
    await context.close();
    await dashboard.close();
  });
});
