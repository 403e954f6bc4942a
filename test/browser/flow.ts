import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { client } from '../support/client.js';
import { watchCspViolations } from './browser.js';

/**
 * The person's path through the dashboard, against any server that serves it (`npm start`,
 * `wrangler dev`): enter a key, see a job created through the API, open it, trigger a run and
 * see it appear, start it, mark it failed with a message, filter by FAILED and see only it,
 * reload and keep the filter, with no Content-Security-Policy violation; then a read key, which
 * cannot trigger.
 */
export async function dashboardFlow(browser: Browser, base: string, adminKey: string) {
  const admin = client({ fetch: (path, init) => fetch(base + path, init) }, adminKey);
  const key = async (scope: 'read' | 'write') =>
    (await admin.post('/api/keys', { name: `flow ${scope}`, scope })).body.key as string;
  const [writeKey, readKey] = [await key('write'), await key('read')];
  const name = `Flow job ${Math.random().toString(36).slice(2, 8)}`;
  const job = await admin.job(name, { type: 'flow' });
  await admin
    .run(job.id, { status: 'RUNNING' })
    .then((run) => admin.patch(`/api/runs/${run.id}`, { status: 'SUCCESS' }));

  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  // Whoever serves the dashboard (Node, the Worker, nginx) serves it under its policy, unbroken.
  const cspViolations = await watchCspViolations(context);
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.getByLabel('API key').fill(writeKey);
  await page.getByRole('button', { name: 'Continue' }).click();
  const card = page.getByRole('article', { name });
  await card.waitFor();
  await card.getByRole('link', { name }).click();
  await page.waitForURL(`${base}/jobs/${job.id}`);
  const rows = page.locator('.run-list tbody tr');
  await expect.poll(() => rows.count()).toBe(1);
  await page.getByRole('button', { name: 'Trigger run' }).click();
  await expect.poll(() => rows.count()).toBe(2);
  expect(await rows.first().textContent()).toContain('Pending');
  const runLink = rows.first().getByRole('link', { name: /^#\d+$/ });
  const runId = Number((await runLink.textContent())!.slice(1));
  await runLink.click();
  await page.waitForURL(`${base}/runs/${runId}`);
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Mark failed' }).click();
  await page.getByLabel('Error message').fill('flow failure');
  await page.getByRole('button', { name: 'Confirm failure' }).click();
  await page.getByText('This run is finished').waitFor();
  expect((await admin.get(`/api/runs/${runId}`)).body).toMatchObject({
    status: 'FAILED',
    errorMessage: 'flow failure',
  });
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link').click();
  await page.getByRole('button', { name: /Failed/ }).click();
  await page.waitForURL(/status=FAILED/);
  await expect.poll(() => rows.count()).toBe(1);
  expect(await rows.first().textContent()).toContain('flow failure');
  await page.reload();
  await expect.poll(() => rows.count()).toBe(1);
  expect(await page.getByRole('button', { name: /Failed/ }).getAttribute('aria-pressed')).toBe(
    'true',
  );
  expect(cspViolations()).toEqual([]);
  await context.close();

  const reader = await (await browser.newContext()).newPage();
  await reader.goto(`${base}/jobs/${job.id}`);
  await reader.getByLabel('API key').fill(readKey);
  await reader.getByRole('button', { name: 'Continue' }).click();
  const trigger = reader.getByRole('button', { name: 'Trigger run' });
  await trigger.waitFor();
  expect(await trigger.isDisabled()).toBe(true);
  expect(await trigger.getAttribute('title')).toMatch(/can only read/);
  await reader.context().close();
  expect((await admin.get(`/api/jobs/${job.id}/runs`)).body.data).toHaveLength(2);
}
