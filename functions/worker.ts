/**
 * Workers entry: validates the bindings once per isolate, builds Drizzle over the D1 binding and
 * serves the same createApp as Node. Migrations are applied by wrangler, not at request time.
 */
import type { D1Database, ExecutionContext } from '@cloudflare/workers-types';
import { openD1 } from '../db/d1.js';
import { DrizzleJobRepository, DrizzleJobRunRepository } from '../db/drizzle-repositories.js';
import { createJsonLogger } from '../shared/logger.js';
import { createApp, type App } from './app.js';

export interface WorkerEnv {
  DB?: D1Database;
  /** Static assets (wrangler.toml [assets]): Swagger UI's files for GET /docs. */
  ASSETS?: { fetch(input: string): Promise<Response> };
}

const logger = createJsonLogger();
let cached: { binding: D1Database; app: App } | undefined;

function appFor(binding: D1Database, assets: WorkerEnv['ASSETS']): App {
  if (cached?.binding !== binding) {
    const database = openD1(binding);
    const app = createApp({
      jobs: new DrizzleJobRepository(database.db),
      runs: new DrizzleJobRunRepository(database.db),
      probe: database.probe,
      logger,
      docsAssets:
        assets &&
        (async (file) => {
          const response = await assets.fetch(`https://assets.invalid/${file}`);
          return response.ok ? response : null;
        }),
    });
    cached = { binding, app };
    logger.info('startup', { runtime: 'workers', driver: database.driver });
  }
  return cached.app;
}

const missingBinding = () =>
  new Response(
    JSON.stringify({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail:
        'The Worker has no D1 binding named DB; add [[d1_databases]] with binding = "DB" to wrangler.toml.',
    }),
    { status: 500, headers: { 'Content-Type': 'application/problem+json' } },
  );

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response> {
    if (!env.DB) {
      logger.error('missing D1 binding DB');
      return missingBinding();
    }
    return appFor(env.DB, env.ASSETS).fetch(request, env, ctx);
  },
};
