import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

const BUILD = new URL('../../dist/web/index.html', import.meta.url);

/** The end-to-end tests drive the built dashboard: `npm test` builds it first (pretest). */
export function requireDashboardBuild(): void {
  if (!existsSync(BUILD))
    throw new Error('dist/web is not built: run `npm run build:web` (npm test does it first)');
}

/**
 * Where the screenshots go: docs/images/ with SCREENSHOTS=docs (`npm run screenshots`), else a
 * temporary folder, so an ordinary test run leaves the work tree alone.
 */
export function screenshotDir(fallback: string): string {
  const dir =
    process.env.SCREENSHOTS === 'docs'
      ? new URL('../../docs/images/', import.meta.url).pathname
      : join(fallback, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Records every Content-Security-Policy violation a page reports, from the moment it loads: the
 * `securitypolicyviolation` events of each document and Chromium's console lines about refused
 * loads. A page that breaks its policy shows the breakage here, not only in a missing feature.
 */
export async function watchCspViolations(context: BrowserContext): Promise<() => string[]> {
  const violations: string[] = [];
  await context.exposeFunction('__reportCspViolation', (text: string) => violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void })
        .__reportCspViolation;
      report(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${location.pathname}`,
      );
    });
  });
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return () => [...violations];
}
