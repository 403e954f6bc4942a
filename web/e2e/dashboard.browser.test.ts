/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, client, type Client } from '../../test/support/client.js';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { startNodeServer, type NodeServer } from '../../test/support/node-process.js';
import { startReceiver } from '../../test/support/webhook-receiver.js';
import { launchChromium } from '../../test/support/chromium.js';
import { requireDashboardBuild, screenshotDir } from '../../test/browser/browser.js';
import { screenshot } from '../../test/browser/screenshots.js';
import { SAMPLE_JOBS, seedHistory } from '../../test/browser/seed.js';

/**
 * The dashboard in a real browser against `npm start`'s server (functions/runtime/node.ts) on a fresh
 * database: a person's path through it, from the key screen to a failed run found by its filter.
 */
describe('the dashboard in Chromium, on the Node server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-dashboard-'));
  let server: NodeServer;
  let browser: Browser;
  let admin: Client;
  let writeKey: string;
  let readKey: string;
  let readKeyId: number;
  let jobId: number;
  const errors: string[] = [];

  /** A run of `job` that took `seconds`, ending in `status`. */
  async function finishedRun(job: number, status: 'SUCCESS' | 'FAILED', seconds: number) {
    const run = await admin.run(job, { status: 'RUNNING' });
    const end = Date.parse(run.startedAt!);
    await admin.patch(`/api/runs/${run.id}`, {
      startedAt: new Date(end - seconds * 1000).toISOString(),
    });
    await admin.patch(`/api/runs/${run.id}`, {
      status,
      finishedAt: new Date(end).toISOString(),
      ...(status === 'FAILED' ? { errorMessage: 'exit code 1' } : {}),
    });
  }

  let etlJobId: number;
  const seeded = SAMPLE_JOBS.map((job) => job.name);
  /** The health each seeded job has while the tests run (see seed.ts). */
  const SEEDED_HEALTH = {
    'Daily ETL': 'Up',
    'Invoice sync': 'Late',
    'Search reindex': 'Up',
    'Cache warmer': 'Up',
    'Certificate check': 'Down',
  };

  beforeAll(async () => {
    requireDashboardBuild();
    // Some history first, spread over the past days (see seed.ts); the flow's job comes through
    // the API below.
    etlJobId = (await seedHistory(join(dir, 'dashboard.db'), SAMPLE_JOBS))[0]!;
    server = await startNodeServer({
      DATABASE_FILE: join(dir, 'dashboard.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      // The seed below and the dashboard's refreshes share one key's quota otherwise.
      RATE_LIMIT_PER_MINUTE: '0',
      // Health is recorded by the sweep tick, which the health filter reads.
      SWEEP_INTERVAL_SECONDS: '1',
      // The channels' flow posts to a receiver on loopback (and no SMTP: email is a 422); a
      // receiver that refuses disables its channel within a second, not a day.
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_SECONDS: '0.05',
      WEBHOOK_RETRY_FOR_SECONDS: '1',
    });
    const target = {
      fetch: (path: string, init?: RequestInit) => fetch(server.baseUrl + path, init),
    };
    admin = client(target);
    const key = async (scope: 'read' | 'write', name: string) =>
      (await admin.post('/api/keys', { name, scope })).body as { id: number; key: string };
    writeKey = (await key('write', 'dashboard e2e')).key;
    const reader = await key('read', 'wallboard');
    readKey = reader.key;
    readKeyId = reader.id;
    // A job created through the API, the one the flow follows, with some history.
    jobId = (await admin.job('Nightly backup', { type: 'backup', description: 'pg_dump of prod' }))
      .id;
    for (const [status, seconds] of [
      ['SUCCESS', 42],
      ['SUCCESS', 47],
      ['FAILED', 12],
      ['SUCCESS', 51],
      ['SUCCESS', 45],
      ['SUCCESS', 58],
      ['SUCCESS', 44],
    ] as const)
      await finishedRun(jobId, status, seconds);
    await admin.run((await admin.job('Weekly report', { type: 'report' })).id, {
      status: 'RUNNING',
    });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh page; `allow`: console errors the flow provokes on purpose (a refused form). */
  const newPage = async (colorScheme: 'light' | 'dark' = 'light', allow?: RegExp) => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      colorScheme,
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      // A refused key is a 401 by design (the key screen's check, a revoked key): the browser
      // logs each one. Anything else is a bug.
      if (
        message.type() === 'error' &&
        !/status of 401/.test(message.text()) &&
        !allow?.test(message.text())
      )
        errors.push(message.text());
    });
    return page;
  };

  const enterKey = async (page: Page, key: string) => {
    await page.goto(server.baseUrl + '/');
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Continue' }).click();
  };

  /** Signed in with `key` on the jobs page, then on job `id`'s page, as a person gets there. */
  const openJob = async (page: Page, key: string, id: number) => {
    await enterKey(page, key);
    await page.getByRole('article', { name: 'Nightly backup' }).waitFor();
    await page.goto(`${server.baseUrl}/jobs/${id}`);
  };

  // First, before the flows below add their jobs (a failed backup, an archived export): the
  // seeded team's jobs, as the README shows them.
  it("the README's screenshots, light and dark: each job's health at a glance and the Health filter", async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await newPage(scheme);
      await enterKey(page, writeKey);
      // What the README's images are for: each job's health at a glance, and the filter on it.
      for (const [name, health] of Object.entries(SEEDED_HEALTH)) {
        const badge = page.getByRole('article', { name }).locator('[data-health]');
        await expect.poll(() => badge.textContent()).toContain(health);
      }
      expect(await page.getByLabel('Health').isVisible()).toBe(true);
      await screenshot(page, dir, `jobs-${scheme}.png`, { cards: seeded });
      await page.goto(`${server.baseUrl}/jobs/${etlJobId}`);
      await page.locator('.chart canvas').first().waitFor();
      await page.locator('.run-list tbody tr').first().waitFor();
      await page.getByRole('region', { name: 'Notifies' }).waitFor();
      await screenshot(page, dir, `job-${scheme}.png`);
      await page.context().close();
    }
  }, 60_000);

  it('enter a key, open a job, trigger a run, fail it, find it by its filter after a reload', async () => {
    const page = await newPage();
    // The key screen first: the files are public, the data is not.
    await page.goto(server.baseUrl + '/');
    await page.getByLabel('API key').waitFor();
    await page.getByLabel('API key').fill('ct_not_a_real_key_at_all_0000000000000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/key/i);

    await page.getByLabel('API key').fill(writeKey);
    await page.getByRole('button', { name: 'Continue' }).click();
    const card = page.getByRole('article', { name: 'Nightly backup' });
    await card.waitFor();
    expect(await card.getByText('85.7%').count()).toBe(1); // 6 of 7 succeeded
    expect(await page.getByRole('article').count()).toBe(SAMPLE_JOBS.length + 2);

    await card.getByRole('link', { name: 'Nightly backup' }).click();
    await page.waitForURL(`${server.baseUrl}/jobs/${jobId}`);
    await page.getByRole('heading', { name: 'Nightly backup', level: 1 }).waitFor();
    const rows = page.locator('.run-list tbody tr');
    await expect.poll(() => rows.count()).toBe(7);

    // Trigger a run: it shows at once, at the top.
    await page.getByRole('button', { name: 'Trigger run' }).click();
    await expect.poll(() => rows.count()).toBe(8);
    const newest = rows.first();
    expect(await newest.textContent()).toContain('Pending');
    const runLink = newest.getByRole('link', { name: /^#\d+$/ });
    const runId = Number((await runLink.textContent())!.slice(1));
    const viaApi = await admin.get(`/api/jobs/${jobId}/runs?limit=1`);
    expect(viaApi.body.data[0]).toMatchObject({ id: runId, status: 'PENDING' });
    await page.locator('.chart canvas').first().waitFor();

    // Run detail: start it, then fail it with a message.
    await runLink.click();
    await page.waitForURL(`${server.baseUrl}/runs/${runId}`);
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('button', { name: 'Mark failed' }).waitFor();
    await page.getByRole('button', { name: 'Mark failed' }).click();
    await page.getByLabel('Error message').fill('disk full on /var/backups');
    await page.getByRole('button', { name: 'Confirm failure' }).click();
    await page.getByText('This run is finished').waitFor();
    expect(await page.locator('.page-head').textContent()).toContain('Failed');
    expect(await page.getByText('disk full on /var/backups').count()).toBeGreaterThan(0);
    const failed = await admin.get(`/api/runs/${runId}`);
    expect(failed.body).toMatchObject({
      status: 'FAILED',
      errorMessage: 'disk full on /var/backups',
    });

    // Back to the job: filter by FAILED, and keep the filter over a reload.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link').click();
    await page.waitForURL(`${server.baseUrl}/jobs/${jobId}`);
    await page.getByRole('button', { name: 'Failed', exact: false }).click();
    await page.waitForURL(/status=FAILED/);
    const onlyFailed = async () => {
      await expect.poll(() => rows.count()).toBe(2);
      const texts = await rows.allTextContents();
      expect(texts.every((text) => text.includes('Failed'))).toBe(true);
      expect(texts[0]).toContain(`#${runId}`);
      expect(texts[0]).toContain('disk full on /var/backups');
    };
    await onlyFailed();
    await page.reload();
    await page.getByRole('heading', { name: 'Nightly backup', level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: /Failed/ }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await onlyFailed();
    await page.context().close();
  }, 90_000);

  it('the jobs that need attention: the health filter lists what the API calls down or late', async () => {
    // A job whose latest run failed is down once a sweep tick has recorded it.
    const broken = (await admin.job('Offsite sync', { type: 'sync' })).id;
    await finishedRun(broken, 'FAILED', 5);
    await expect
      .poll(async () => (await admin.get(`/api/jobs/${broken}`)).body.health, { timeout: 10_000 })
      .toBe('down');
    const attention = async () =>
      (
        (await admin.get('/api/jobs?health=down,late&limit=200')).body.data as Array<{
          name: string;
        }>
      ).map((job) => job.name);
    await expect.poll(attention, { timeout: 10_000 }).toContain('Offsite sync');
    const page = await newPage();
    await enterKey(page, writeKey);
    await page.getByRole('article', { name: 'Weekly report' }).waitFor();
    await page.getByLabel('Health').selectOption({ label: 'Needs attention (down or late)' });
    await page.waitForURL(/health=down%2Clate/);
    const cards = page.getByRole('article');
    await page.getByRole('article', { name: 'Weekly report' }).waitFor({ state: 'detached' });
    const names = await cards.evaluateAll((articles) =>
      articles.map((article) => article.querySelector('h2')?.textContent ?? ''),
    );
    expect(names.sort()).toEqual((await attention()).sort());
    // The seeded late and down jobs (seed.ts) with the one that just failed.
    expect(names).toEqual(
      expect.arrayContaining(['Certificate check', 'Invoice sync', 'Offsite sync']),
    );
    expect(await page.getByRole('article', { name: 'Offsite sync' }).textContent()).toContain(
      'Down',
    );
    await screenshot(page, dir, 'jobs-needs-attention.png', { cards: seeded });
    // Kept over a reload, like every filter.
    await page.reload();
    await page.getByRole('article', { name: 'Offsite sync' }).waitFor();
    expect(await page.getByLabel('Health').inputValue()).toBe('down,late');
    await page.context().close();
  }, 60_000);

  it("report runs: the job page's ping URL records runs as its crontab line would; a read key sees none", async () => {
    // Every 15 seconds: cron would read `*/15 * * * *` as every 15 minutes, so no schedule is
    // offered, only a placeholder cron refuses, and why.
    const job = (await admin.job('Offsite rsync', { type: 'sync', schedule: '*/15 * * * * *' })).id;
    const page = await newPage();
    await openJob(page, writeKey, job);
    const reporting = page.getByRole('region', { name: 'Report runs' });
    await reporting.waitFor();
    const line = reporting.getByLabel('Crontab line');
    expect(await line.textContent()).toMatch(/^<schedule> curl /);
    expect(
      await reporting.getByText(/runs every 15 seconds, which has no crontab form/).isVisible(),
    ).toBe(true);
    // Nightly in Berlin: crontab's own five fields, and the zone they are read in.
    await admin.patch(`/api/jobs/${job}`, { schedule: '30 2 * * *', timezone: 'Europe/Berlin' });
    await page.reload();
    await expect.poll(() => line.textContent()).toMatch(/^30 2 \* \* \* curl /);
    expect(
      await reporting.getByText(/ChronoTrack reads this schedule in Europe\/Berlin/).count(),
    ).toBe(1);
    const url = (await reporting.getByLabel('Ping URL').textContent())!;
    expect(url).toBe(`${server.baseUrl}${(await admin.get(`/api/jobs/${job}`)).body.pingUrl}`);
    const crontab = (await line.textContent())!;
    expect(crontab).toContain(`${url}/start`);
    expect(crontab).toContain(`${url}/$?`);
    // What the crontab line does: the start, then the exit status of the command (0: succeeded,
    // 3: failed). Two runs milliseconds apart, which the chart shows over ten minutes.
    for (const status of ['0', '3']) {
      expect(await (await fetch(`${url}/start`)).text()).toBe('OK');
      expect(await (await fetch(`${url}/${status}`)).text()).toBe('OK');
    }
    // (A page with no open run refreshes every 15 s; a reload shows the runs now.)
    await page.reload();
    const rows = page.locator('.run-list tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('Failed');
    await page.locator('.chart canvas').first().waitFor();
    await screenshot(page, dir, 'job-report-runs.png', { fullPage: true });
    await page.context().close();

    const reader = await newPage();
    await openJob(reader, readKey, job);
    await reader.getByRole('heading', { name: 'Offsite rsync', level: 1 }).waitFor();
    expect(await reader.getByRole('region', { name: 'Report runs' }).count()).toBe(0);
    await reader.context().close();
  }, 60_000);

  it("status badge: an admin key turns the project's badges on and gets the Markdown and HTML; the badge shows on the page", async () => {
    const project = (await admin.post('/api/projects', { name: 'Badges' })).body;
    const job = await admin.job('Badged backup', { projectId: project.id, key: 'badged-backup' });
    const page = await newPage();
    await openJob(page, TEST_ADMIN_KEY, job.id);
    const section = page.getByRole('region', { name: 'Status badge' });
    await section.getByRole('button', { name: 'Turn on badges' }).click();
    const markdown = section.getByLabel('Badge Markdown');
    await markdown.waitFor();
    const { badgeKey } = (await admin.get(`/api/projects/${project.id}`)).body;
    const svg = `${server.baseUrl}/badge/${badgeKey}/badged-backup.svg`;
    expect(await markdown.textContent()).toBe(
      `[![Badged backup](${svg})](${server.baseUrl}/jobs/${job.id})`,
    );
    expect(await section.getByLabel('Badge HTML').textContent()).toContain(`<img src="${svg}"`);
    const preview = section.getByRole('img', { name: 'Status badge of Badged backup' });
    await expect
      .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(40);
    await section.screenshot({ path: join(screenshotDir(dir), 'job-badge.png') });
    // Rotating asks first, then every old URL stops.
    await section.getByRole('button', { name: 'Rotate badge key…' }).click();
    await section.getByRole('button', { name: 'Rotate badge key', exact: true }).click();
    await expect.poll(() => markdown.textContent()).not.toContain(badgeKey);
    expect((await fetch(svg)).status).toBe(404);
    await page.context().close();
  }, 60_000);

  it('edit a job, archive and unarchive it; the runs of every job, filtered', async () => {
    const page = await newPage();
    await enterKey(page, writeKey);
    await page.getByRole('article', { name: 'Nightly backup' }).waitFor();
    const job = (await admin.job('Temp export', { type: 'export' })).id;
    await page.goto(`${server.baseUrl}/jobs/${job}`);
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Name').fill('Nightly export');
    await page.getByLabel('Description').fill('CSV for finance');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Nightly export', level: 1 }).waitFor();
    expect((await admin.get(`/api/jobs/${job}`)).body).toMatchObject({
      name: 'Nightly export',
      description: 'CSV for finance',
      type: 'export',
    });
    await page.getByRole('button', { name: 'Archive' }).click();
    await page.getByRole('button', { name: 'Unarchive' }).waitFor();
    expect(await page.getByRole('button', { name: 'Trigger run' }).isDisabled()).toBe(true);
    expect((await admin.get(`/api/jobs/${job}`)).body.archived).toBe(true);
    // Hidden from the jobs page unless asked for.
    await page.getByRole('link', { name: 'Jobs', exact: true }).first().click();
    await page.getByRole('article', { name: 'Nightly backup' }).waitFor();
    expect(await page.getByRole('article', { name: 'Nightly export' }).count()).toBe(0);
    await page.getByLabel('Show archived').check();
    await page.getByRole('article', { name: 'Nightly export' }).waitFor();
    expect(page.url()).toContain('archived=all');
    await page.getByRole('article', { name: 'Nightly export' }).getByRole('link').first().click();
    await page.getByRole('button', { name: 'Unarchive' }).click();
    await page.getByRole('button', { name: 'Archive' }).waitFor();
    expect((await admin.get(`/api/jobs/${job}`)).body.archived).toBe(false);
    // /runs: every job's runs; the FAILED chip leaves only failures, of several jobs.
    await page.goto(`${server.baseUrl}/runs?status=FAILED`);
    const rows = page.locator('.run-list tbody tr');
    await rows.first().waitFor();
    const texts = await rows.allTextContents();
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.every((text) => text.includes('Failed'))).toBe(true);
    expect(
      new Set(texts.map((text) => text.split('Failed')[0]!.replace(/^#\d+/, ''))).size,
    ).toBeGreaterThan(1);
    // A time range on another of the run's times, from the URL: the same runs as the API lists.
    const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
    await page.goto(`${server.baseUrl}/runs?status=FAILED&startedAfter=${dayAgo}`);
    await expect.poll(async () => (await rows.allTextContents()).length).toBeLessThan(texts.length);
    expect(await page.getByLabel('Time', { exact: true }).inputValue()).toBe('started');
    const viaApi = await admin.get(`/api/runs?status=FAILED&startedAfter=${dayAgo}&limit=200`);
    expect(await rows.count()).toBe(viaApi.body.data.length);
    expect(viaApi.body.data.length).toBeGreaterThan(0);
    await page.context().close();
  }, 60_000);

  it('a read key sees everything but cannot trigger or move a run, and why', async () => {
    const page = await newPage();
    await openJob(page, readKey, jobId);
    const trigger = page.getByRole('button', { name: 'Trigger run' });
    await trigger.waitFor();
    expect(await trigger.isDisabled()).toBe(true);
    expect(await trigger.getAttribute('title')).toMatch(/can only read/);
    const before = (await admin.get(`/api/jobs/${jobId}/runs`)).body.data.length;
    await trigger.click({ force: true });
    const pending = (await admin.get(`/api/jobs/${jobId}/runs?status=RUNNING`)).body.data;
    expect((await admin.get(`/api/jobs/${jobId}/runs`)).body.data.length).toBe(before);
    expect(pending).toEqual([]);
    // Revoked while the page is open: the next refresh returns to the key screen, with the reason.
    await admin.delete(`/api/keys/${readKeyId}`);
    await page.getByLabel('API key').waitFor({ timeout: 20_000 });
    expect(await page.getByText('The server refused the key').count()).toBe(1);
    await page.context().close();
  }, 60_000);

  it("channels: add a Slack one, test it, see its deliveries and the job page's Notifies line, delete it; a read key sees no controls", async () => {
    // `/hook/gone` answers as Discord does for a deleted webhook.
    const receiver = await startReceiver({
      check: (hook) => (hook.path === '/hook/gone' ? '{"message": "Unknown Webhook"}' : null),
    });
    try {
      // A channel whose receiver refuses every message: its test fails, is retried for the
      // retry window (a second here), and the dispatcher disables it with the last error.
      const gone = (
        await admin.post('/api/channels', {
          name: 'Team Discord',
          type: 'discord',
          config: { webhookUrl: `${receiver.url}/gone` },
          events: ['run.failed'],
        })
      ).body as { id: number };
      await admin.post(`/api/channels/${gone.id}/test`);
      await expect
        .poll(async () => (await admin.get(`/api/channels/${gone.id}`)).body.enabled, {
          timeout: 15_000,
        })
        .toBe(false);
      // A second channel, through the API: PagerDuty (through a relay on loopback) for every job.
      const onCall = (
        await admin.post('/api/channels', {
          name: 'On call',
          type: 'pagerduty',
          config: { routingKey: 'R0UT1NGKEY0000000000000000000abc', url: `${receiver.url}/pd` },
          events: ['run.failed', 'job.down', 'job.up'],
        })
      ).body as { id: number };
      // The email channel below is refused (422) on purpose: Chromium logs the response.
      const page = await newPage('light', /status of 422/);
      await enterKey(page, TEST_ADMIN_KEY);
      await page.getByRole('article', { name: 'Nightly backup' }).waitFor();
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Channels' })
        .click();
      await page.waitForURL(`${server.baseUrl}/channels`);
      await page.getByRole('article', { name: 'On call' }).waitFor();
      const disabled = page.getByRole('article', { name: 'Team Discord' });
      expect(await disabled.locator('.badge').first().textContent()).toBe('✕ Disabled');
      expect(await disabled.locator('.last-error').textContent()).toMatch(
        /could not be delivered in \d+ attempts over 1 s; last: HTTP 400/,
      );
      expect(await disabled.getByRole('button', { name: 'Enable' }).count()).toBe(1);

      await page.getByRole('button', { name: 'Add channel' }).click();
      const form = page.getByRole('form', { name: 'Add channel' });
      await form.getByLabel('Name').fill('Ops on Slack');
      // Email first: this server has no SMTP, and the form says so in the server's words.
      await form.getByLabel('Type').selectOption({ label: 'Email' });
      expect(await form.getByLabel('Webhook URL').count()).toBe(0);
      await form.getByLabel('Recipients').fill('ops@example.com');
      await form.getByRole('button', { name: 'Add channel' }).click();
      await form.getByRole('alert').waitFor();
      expect(await form.getByRole('alert').textContent()).toContain(
        'This server has no mail transport',
      );
      // (The sticky header would show where the page was scrolled to in a full-page image.)
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, dir, 'channel-add.png', { fullPage: true });
      // Slack: only its webhook URL; the events and one job.
      await form.getByLabel('Type').selectOption({ label: 'Slack' });
      expect(await form.getByLabel('Recipients').count()).toBe(0);
      await form.getByLabel('Webhook URL').fill(receiver.url);
      await form.getByLabel(/A run was slow/).check();
      await form.getByLabel('Only these jobs').check();
      await form.getByLabel('Nightly backup', { exact: true }).check();
      await form.getByRole('button', { name: 'Add channel' }).click();
      const card = page.getByRole('article', { name: 'Ops on Slack' });
      await card.waitFor();
      const created = (
        (await admin.get('/api/channels')).body.data as Array<{
          id: number;
          name: string;
          events: string[];
        }>
      ).find((channel) => channel.name === 'Ops on Slack')!;
      expect(created).toMatchObject({ type: 'slack', jobIds: [jobId], projectId: null });
      expect([...created.events].sort()).toEqual(['job.down', 'job.up', 'run.failed', 'run.slow']);
      const { host } = new URL(receiver.url);
      // The webhook URL is a secret: shown masked, its host and last 4 characters.
      expect(await card.textContent()).toContain(`${host}/…hook`);
      expect(await card.textContent()).not.toContain(receiver.url);

      // A test: sent now, and what the receiver answered.
      await card.getByRole('button', { name: 'Send test' }).click();
      const answer = card.getByRole('status');
      await answer.waitFor();
      expect(await answer.textContent()).toBe('Test sent. The receiver answered 200: ok');
      expect(receiver.received.filter((hook) => hook.path === '/hook')).toHaveLength(1);
      // Its delivery in the log.
      await card.getByRole('button', { name: 'Deliveries' }).click();
      const rows = card.locator('.deliveries tbody tr');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().textContent()).toMatch(/Delivered.*1.*200.*ok/);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, dir, 'channels.png', {
        fullPage: true,
        cards: ['Ops on Slack', 'On call', 'Team Discord'],
      });

      // The job page says who is told about it; a job the Slack channel does not name, less.
      await page.goto(`${server.baseUrl}/jobs/${jobId}`);
      const notifies = page.getByRole('region', { name: 'Notifies' });
      await notifies.waitFor();
      expect(await notifies.getByRole('listitem').allTextContents()).toEqual([
        'On call (PagerDuty: run.failed, job.down, job.up)',
        `Ops on Slack (Slack: ${created.events.join(', ')})`,
      ]);
      await page.goto(`${server.baseUrl}/jobs/${etlJobId}`);
      await expect
        .poll(() =>
          page.getByRole('region', { name: 'Notifies' }).getByRole('listitem').allTextContents(),
        )
        .toEqual(['On call (PagerDuty: run.failed, job.down, job.up)']);
      await page
        .getByRole('region', { name: 'Notifies' })
        .getByRole('link', { name: 'On call' })
        .click();
      await page.waitForURL(`${server.baseUrl}/channels`);

      // Delete, after a confirmation.
      await card.getByRole('button', { name: 'Delete' }).click();
      await card.getByRole('button', { name: 'Delete channel' }).click();
      await card.waitFor({ state: 'detached' });
      expect((await admin.get(`/api/channels/${created.id}`)).status).toBe(404);
      await page.context().close();

      // A read key (and a write key alike) sees the channels and their deliveries, no control.
      const reader = await newPage();
      const key = (await admin.post('/api/keys', { name: 'channels reader', scope: 'read' })).body
        .key as string;
      await enterKey(reader, key);
      await reader.getByRole('article', { name: 'Nightly backup' }).waitFor();
      await reader.goto(`${server.baseUrl}/channels`);
      const readOnly = reader.getByRole('article', { name: 'On call' });
      await readOnly.waitFor();
      expect(await reader.getByText(/Read only: adding, testing or changing/).count()).toBe(1);
      for (const name of ['Add channel', 'Send test', 'Change', 'Disable', 'Enable', 'Delete'])
        expect(await reader.getByRole('button', { name, exact: true }).count(), name).toBe(0);
      await readOnly.getByRole('button', { name: 'Deliveries' }).click();
      await readOnly.getByText('Nothing sent yet.').waitFor();
      await reader.context().close();
      await admin.delete(`/api/channels/${onCall.id}`);
      await admin.delete(`/api/channels/${gone.id}`);
    } finally {
      await receiver.close();
    }
  }, 90_000);

  it("a project's retention on the jobs page: what it keeps and since when; an admin key changes it", async () => {
    const page = await newPage();
    await enterKey(page, TEST_ADMIN_KEY);
    await page.getByRole('article', { name: 'Nightly backup' }).waitFor();
    await page.goto(`${server.baseUrl}/?project=1`);
    const retention = page.getByRole('region', { name: 'Retention of default' });
    await retention.waitFor();
    const { count } = (await admin.get('/api/projects/1')).body.runs;
    expect(await retention.textContent()).toContain(
      `default: Keeps every run (the server's default). ${count.toLocaleString('en-US')} runs, the oldest from`,
    );
    await retention.getByRole('button', { name: 'Change retention' }).click();
    await retention.getByLabel('Days to keep finished runs').fill('3650');
    await retention.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => retention.textContent())
      .toContain("Keeps finished runs for 3650 days (this project's setting)");
    expect((await admin.get('/api/projects/1')).body.retentionDays).toBe(3650);
    // Empty follows the server again.
    await retention.getByRole('button', { name: 'Change retention' }).click();
    await retention.getByLabel('Days to keep finished runs').fill('');
    await retention.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => retention.textContent()).toContain("(the server's default)");
    expect((await admin.get('/api/projects/1')).body.retentionDays).toBeNull();
    // A write key reads it, without the control.
    const reader = await newPage();
    await enterKey(reader, writeKey);
    await reader.getByRole('article', { name: 'Nightly backup' }).waitFor();
    await reader.goto(`${server.baseUrl}/?project=1`);
    await reader.getByRole('region', { name: 'Retention of default' }).waitFor();
    expect(await reader.getByRole('button', { name: 'Change retention' }).count()).toBe(0);
    await page.context().close();
    await reader.context().close();
  }, 60_000);

  it('a key that expires says so in the header, as a warning in its last week', async () => {
    const expiresAt = new Date(Date.now() + 3 * 86_400_000 + 60_000).toISOString();
    const { key } = (
      await admin.post('/api/keys', { name: 'contractor', scope: 'read', expiresAt })
    ).body;
    const page = await newPage();
    await enterKey(page, key);
    const expiry = page.locator('.key-expiry');
    await expiry.waitFor();
    expect(await expiry.textContent()).toBe('expires in 3 days');
    expect(await expiry.getAttribute('class')).toContain('soon');
    expect(await expiry.getAttribute('title')).toBe(`This key stops working at ${expiresAt}`);
    await page.context().close();
  });

  it('light and dark: the system setting and the toggles', async () => {
    const page = await newPage('dark');
    await enterKey(page, writeKey);
    await page.getByRole('article', { name: 'Daily ETL' }).waitFor();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(15, 18, 22)');
    // System (dark here) → Light → Dark → System.
    await page.getByRole('button', { name: /^Theme/ }).click();
    expect(await background()).toBe('rgb(246, 247, 249)');
    await page.getByRole('button', { name: /^Theme/ }).click();
    expect(await background()).toBe('rgb(15, 18, 22)');
    // The choice is remembered on this device.
    await page.reload();
    await page.getByRole('article', { name: 'Daily ETL' }).waitFor();
    expect(await background()).toBe('rgb(15, 18, 22)');
    // Times in UTC at a click.
    await page.goto(`${server.baseUrl}/jobs/${etlJobId}`);
    await page.locator('.run-list tbody tr').first().waitFor();
    expect(await page.locator('.run-list tbody tr').first().textContent()).not.toContain('UTC');
    await page.getByRole('button', { name: /Times shown in local time/ }).click();
    expect(await page.locator('.run-list tbody tr').first().textContent()).toContain('UTC');
    await page.context().close();
    expect(errors).toEqual([]);
  }, 90_000);

  it('answers the dashboard routes with index.html, the API and probes never', async () => {
    const html = { headers: { Accept: 'text/html' } };
    const index = await fetch(`${server.baseUrl}/runs/1`, html);
    expect(index.headers.get('Cache-Control')).toBe('no-cache');
    const body = await index.text();
    expect(body).toContain('<div id="root">');
    const api = await call({ fetch: (p, i) => fetch(server.baseUrl + p, i) }, 'GET', '/api/nope', {
      headers: html.headers,
    });
    expect(api.status).toBe(401);
    const asset = body.match(/\/assets\/[^"]+\.js/)?.[0];
    const script = await fetch(server.baseUrl + asset!);
    expect(script.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
  });
});
