// The dashboard's initial JavaScript, gzipped: what a first visit downloads before the page can
// run (the entry script and the chunks index.html preloads; lazy chunks such as the duration
// chart are not counted). Fails above the budget of issue 11: 150 KB.
//   node scripts/check-web-bundle.mjs        after `npm run build:web`
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 150 * 1024;
const dir = 'dist/web';
const html = readFileSync(join(dir, 'index.html'), 'utf8');
const scripts = [
  ...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g),
].map((m) => m[1]);
if (scripts.length === 0) throw new Error('dist/web/index.html names no script');
let total = 0;
for (const src of scripts) {
  const bytes = gzipSync(readFileSync(join(dir, src)), { level: 9 }).length;
  total += bytes;
  console.log(`${src}: ${(bytes / 1024).toFixed(1)} KB gzipped`);
}
console.log(`initial JS: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
  console.error('the dashboard is over its budget of initial JavaScript');
  process.exit(1);
}
