import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DashboardAssetLoader } from '../http/dashboard/routes.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * The dashboard's build (dist/web) read from disk, for the Node entry. Null when `dir` has no
 * index.html (the dashboard was not built): the API then serves alone. A path that would leave
 * the folder is refused.
 */
export async function nodeDashboardAssets(dir: string): Promise<DashboardAssetLoader | null> {
  const root = resolve(dir);
  const exists = await stat(join(root, 'index.html')).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists) return null;
  return async (path) => {
    const file = resolve(root, `.${path}`);
    if (!file.startsWith(root + sep)) return null;
    try {
      const body = await readFile(file);
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      return new Response(body, { headers: { 'Content-Type': type } });
    } catch {
      return null;
    }
  };
}

/**
 * Where `npm run build:web` writes the dashboard, seen from this module: dist/web beside the
 * compiled dist/functions/, or under dist/ when running from source (tsx, the tests).
 */
export async function defaultDashboardAssets(): Promise<DashboardAssetLoader | null> {
  for (const candidate of ['../../dist/web', '../web']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    // Only a build: from source, ../web is the dashboard's source folder.
    if (basename(dirname(dir)) !== 'dist') continue;
    const loader = await nodeDashboardAssets(dir);
    if (loader) return loader;
  }
  return null;
}
