// Workers test setup: apply db/migrations to the test D1 database, as `wrangler d1 migrations
// apply` does for `npm run dev:worker`. Idempotent, so it may run before every test file.
import { applyD1Migrations, env } from 'cloudflare:test';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
