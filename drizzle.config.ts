import { defineConfig } from 'drizzle-kit';

// drizzle-kit is pinned to 0.x: its SQL files are plain statements separated by breakpoints,
// which `wrangler d1 migrations apply` and the libSQL migrator read as they are.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
});
