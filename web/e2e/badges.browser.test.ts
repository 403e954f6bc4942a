/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotDir } from '../../test/browser/browser.js';
import { launchChromium } from '../../test/support/chromium.js';
import { client } from '../../test/support/client.js';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { startNodeServer, stopNodeServer } from '../../test/support/node-process.js';
import { startWranglerDev } from '../../test/support/wrangler-dev.js';

/**
 * Jobs whose badges are drawn: a plain name, one with XML's specials, one with accents (no CJK:
 * this machine's Chromium has no font for it; the API tests cover its escaping).
 */
const JOBS = [
  { key: 'nightly-backup', name: 'Nightly backup', finish: 'SUCCESS', health: 'up' },
  { key: 'etl', name: 'Daily ETL <eu> & "reports"', finish: 'FAILED', health: 'down' },
  { key: 'sync', name: 'Sync ünïcödé', finish: null, health: 'new' },
] as const;

/**
 * The status badges in Chromium, from the Node server and from the Worker under `wrangler dev`:
 * embedded as images in a page of another origin (as a README shows them), and opened as SVG
 * documents, whose texts must fit their halves of the badge (readable, not cut or squeezed).
 */
describe('status badges in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-badges-'));
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Seeds the jobs, turns badges on, and checks every badge renders and reads; the screenshot goes
   * to `screenshot` (docs/images/ with SCREENSHOTS=docs for the Node run, else a temporary folder).
   */
  async function checkBadges(base: string, screenshot: string) {
    const api = client({ fetch: (path, init) => fetch(base + path, init) }, TEST_ADMIN_KEY);
    for (const job of JOBS) {
      const created = await api.job(job.name, { key: job.key });
      if (!job.finish) continue;
      const run = await api.run(created.id, { status: 'RUNNING' });
      expect((await api.patch(`/api/runs/${run.id}`, { status: job.finish })).status).toBe(200);
    }
    const { badgeKey } = (await api.post('/api/projects/1/badge-key')).body as {
      badgeKey: string;
    };
    const urls = [
      ...JOBS.map((job) => `${base}/badge/${badgeKey}/${job.key}.svg`),
      `${base}/badge/${badgeKey}.svg`,
    ];

    const page = await browser.newPage({
      viewport: { width: 360, height: 200 },
      deviceScaleFactor: 2,
    });
    try {
      // Each badge opened as a document: its two texts are drawn, and each fits its half.
      for (const [i, url] of urls.entries()) {
        const response = await page.goto(url);
        expect(response?.status(), url).toBe(200);
        const drawn = await page.evaluate(() => {
          const rects = [...document.querySelectorAll('g[clip-path] rect')].slice(0, 2);
          const texts = [...document.querySelectorAll('text:not([aria-hidden])')];
          return {
            title: document.querySelector('title')?.textContent,
            texts: texts.map((text, half) => {
              const box = (text as SVGTextElement).getBBox();
              const rect = (rects[half] as SVGRectElement).getBBox();
              return {
                content: text.textContent,
                // The text's box in the badge's units (the texts are drawn at 10× and scaled).
                left: box.x / 10,
                right: (box.x + box.width) / 10,
                rectLeft: rect.x,
                rectRight: rect.x + rect.width,
                natural: (text as SVGTextElement).getComputedTextLength() / 10,
                declared: Number(text.getAttribute('textLength')) / 10,
              };
            }),
          };
        });
        const [label, message] = drawn.texts;
        const expected = JOBS[i]
          ? [JOBS[i].name, JOBS[i].health]
          : ['jobs', `1/${JOBS.length} down`];
        expect([label!.content, message!.content]).toEqual(expected);
        expect(drawn.title).toBe(`${expected[0]}: ${expected[1]}`);
        for (const text of drawn.texts) {
          expect(text.left, `${text.content} starts inside its half`).toBeGreaterThanOrEqual(
            text.rectLeft,
          );
          expect(text.right, `${text.content} ends inside its half`).toBeLessThanOrEqual(
            text.rectRight,
          );
          // The width table matches the font Chromium draws with: textLength squeezes or
          // stretches the text by a few percent at most, so the letters keep their shapes.
          expect(text.declared / text.natural, text.content ?? '').toBeGreaterThan(0.9);
          expect(text.declared / text.natural, text.content ?? '').toBeLessThan(1.1);
        }
      }

      // Embedded as images in a page of another origin (another port: a README's page), which
      // the same-origin resource policy of the API's own answers would forbid.
      const html =
        `<!doctype html><body style="margin:16px;background:#fff">` +
        urls.map((url) => `<p><img src="${url}" alt=""></p>`).join('') +
        `</body>`;
      const embedder = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(html);
      });
      await new Promise<void>((resolve) => embedder.listen(0, '127.0.0.1', resolve));
      const { port } = embedder.address() as AddressInfo;
      try {
        await page.goto(`http://127.0.0.1:${port}/`);
      } finally {
        embedder.close();
      }
      await page.waitForFunction(() => [...document.images].every((img) => img.complete));
      const images = await page.evaluate(() =>
        [...document.images].map((img) => ({ width: img.naturalWidth, height: img.naturalHeight })),
      );
      expect(images).toHaveLength(urls.length);
      for (const image of images) {
        expect(image.height).toBe(20);
        expect(image.width).toBeGreaterThan(40);
      }
      await page.screenshot({ path: screenshot, fullPage: true });
    } finally {
      await page.close();
    }
  }

  it('renders on the Node server', async () => {
    const server = await startNodeServer({
      DATABASE_FILE: join(dir, 'badges.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      RATE_LIMIT_PER_MINUTE: '0',
    });
    try {
      await checkBadges(server.baseUrl, join(screenshotDir(dir), 'badges.png'));
    } finally {
      await stopNodeServer(server);
    }
  }, 120_000);

  it('renders on the Worker (wrangler dev, D1)', async () => {
    const worker = await startWranglerDev({
      persistTo: join(dir, 'wrangler'),
      vars: { ADMIN_API_KEY: TEST_ADMIN_KEY, RATE_LIMIT_PER_MINUTE: '0' },
    });
    try {
      await checkBadges(worker.baseUrl, join(dir, 'badges-worker.png'));
    } finally {
      await worker.stop();
    }
  }, 180_000);
});
