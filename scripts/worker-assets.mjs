// The Worker's static assets (wrangler.toml [assets], directory dist/worker-assets): the
// dashboard's build (dist/web) at the root, and Swagger UI's three files under swagger-ui/ for
// GET /api/docs. The Worker runs first for every request and serves both itself through the
// ASSETS binding (functions/runtime/worker.ts), with the same routing rules as the Node server.
//
//   node scripts/worker-assets.mjs     rebuild the folder (after `vite build`)
//   ensureWorkerAssets()               make sure it exists (vitest.config.mts: wrangler needs it)
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist/worker-assets');
const WEB = join(ROOT, 'dist/web');
const SWAGGER_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'];

function copySwagger() {
  const swagger = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  mkdirSync(join(OUT, 'swagger-ui'), { recursive: true });
  for (const file of SWAGGER_FILES) cpSync(join(swagger, file), join(OUT, 'swagger-ui', file));
}

export function buildWorkerAssets() {
  rmSync(OUT, { recursive: true, force: true });
  copySwagger();
  if (existsSync(join(WEB, 'index.html'))) cpSync(WEB, OUT, { recursive: true });
  else console.warn('dist/web is not built: the Worker will serve the API without the dashboard');
}

/** Cheap and idempotent: Swagger UI's files, and the dashboard when it is built and missing. */
export function ensureWorkerAssets() {
  if (!SWAGGER_FILES.every((file) => existsSync(join(OUT, 'swagger-ui', file)))) copySwagger();
  if (existsSync(join(WEB, 'index.html')) && !existsSync(join(OUT, 'index.html')))
    cpSync(WEB, OUT, { recursive: true });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildWorkerAssets();
  console.log(`Worker assets written to ${OUT}`);
}
