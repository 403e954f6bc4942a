/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { format, resolveConfig } from 'prettier';
import { expect } from 'vitest';
import { screenshotDir } from './browser.js';

/**
 * What a screenshot shows that a reader of the docs would miss if it changed: the page's headings,
 * its fields and buttons, and the badges of the named cards. No times, counts or URLs (they change
 * from run to run), no pixels (fonts render differently from machine to machine).
 */
export interface ScreenshotFacts {
  headings: string[];
  fields: string[];
  buttons: string[];
  cards: Record<string, string[]>;
}

/** Written by `npm run screenshots` beside the images; every other run compares against it. */
const MANIFEST = new URL('../../docs/images/screenshots.json', import.meta.url).pathname;

const readManifest = (): Record<string, ScreenshotFacts> =>
  existsSync(MANIFEST) ? JSON.parse(readFileSync(MANIFEST, 'utf8')) : {};

/** The facts of the page as it is now; `cards`: the job cards whose badges count. */
export function screenshotFacts(page: Page, cards: readonly string[]): Promise<ScreenshotFacts> {
  return page.evaluate((names) => {
    const text = (element: Element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim();
    const outside = (selector: string) =>
      [...document.querySelectorAll(selector)].filter((element) => !element.closest('article'));
    const badges: Record<string, string[]> = {};
    for (const article of document.querySelectorAll('article')) {
      const name = text(article.querySelector('h2') ?? article);
      if (names.includes(name)) badges[name] = [...article.querySelectorAll('.badge')].map(text);
    }
    return {
      headings: outside('h1, h2, h3').map(text),
      fields: [...document.querySelectorAll('label')].map(text),
      buttons: outside('button').map(text),
      cards: badges,
    };
  }, cards);
}

/**
 * Takes the screenshot `name` (docs/images/ with SCREENSHOTS=docs, else a temporary folder) and
 * checks that it is current: an ordinary run fails when what the page shows (ScreenshotFacts) is
 * no longer what the committed image showed, a new filter or badge for instance, so the images in
 * the README do not quietly fall behind the dashboard. `npm run screenshots` writes both again.
 */
export async function screenshot(
  page: Page,
  fallback: string,
  name: string,
  options: { fullPage?: boolean; cards?: readonly string[] } = {},
): Promise<void> {
  await page.screenshot({ path: join(screenshotDir(fallback), name), fullPage: options.fullPage });
  const facts = await screenshotFacts(page, options.cards ?? []);
  const manifest = readManifest();
  if (process.env.SCREENSHOTS === 'docs') {
    manifest[name] = facts;
    const sorted = Object.fromEntries(
      Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)),
    );
    const config = await resolveConfig(MANIFEST);
    writeFileSync(MANIFEST, await format(JSON.stringify(sorted), { ...config, parser: 'json' }));
    return;
  }
  expect(
    facts,
    `docs/images/${name} no longer shows the dashboard as it is: run \`npm run screenshots\`, look at the images, commit them with docs/images/screenshots.json`,
  ).toEqual(manifest[name]);
}
