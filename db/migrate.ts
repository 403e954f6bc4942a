/** `npm run db:migrate`: applies pending migrations to the configured database and exits. */
import { parseConfig } from '../shared/config.js';
import { openBetterSqlite } from './better-sqlite3.js';

const config = parseConfig(process.env);
const database = openBetterSqlite(config.DATABASE_FILE);
await database.close();
console.log(
  JSON.stringify({ level: 'info', msg: 'migrations applied', database: config.DATABASE_FILE }),
);
