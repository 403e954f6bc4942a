import { fileURLToPath } from 'node:url';

/**
 * The drizzle-kit migrations folder, read by every Node migrator. It sits beside this module in
 * the sources (db/migrations) and is copied beside the compiled module by `npm run build`.
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
