/** `npm run db:migrate`: applies pending migrations to the configured database and exits. */
import { parseConfig } from '../shared/config.js';
import { openConfiguredDatabase } from './open.js';

const config = parseConfig(process.env);
const { database, location } = await openConfiguredDatabase(config);
await database.close();
console.log(
  JSON.stringify({
    level: 'info',
    msg: 'migrations applied',
    driver: database.driver,
    database: location,
  }),
);
