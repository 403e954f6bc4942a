/**
 * `npm run keys -- <command>`: manage API keys against the local database, like Django's
 * `manage.py createsuperuser`, for when no admin key is at hand (first setup, a lost key).
 * It reads the same configuration as the server (DATABASE_FILE or DATABASE_URL).
 *
 *   npm run keys -- create --name me --scope admin [--project 2]
 *   npm run keys -- list
 *   npm run keys -- revoke <id>
 */
import { isoTime } from '../../shared/iso-time.js';
import { parseArgs } from 'node:util';
import { openConfiguredDatabase } from '../../db/open.js';
import { SCOPES, type Scope } from '../../shared/access.js';
import { ConfigError, parseConfig } from '../../shared/config.js';
import { DomainError } from '../../shared/errors.js';
import { createJsonLogger } from '../../shared/logger.js';
import { firstStartKeyFile } from './first-start-key.js';
import { nodeHashSecret } from './node-hash.js';
import { createRuntime } from './runtime.js';

const USAGE = `Usage:
  npm run keys -- create --name <name> --scope read|write|admin [--project <id>]
  npm run keys -- list
  npm run keys -- revoke <id>

Uses the server's database (DATABASE_FILE, default ./data/chronotrack.db, or DATABASE_URL).
The created key is printed once, on standard output; only its SHA-256 is stored.`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    scope: { type: 'string' },
    project: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
const [command, ...rest] = positionals;
if (values.help || !command) fail(USAGE, values.help ? 0 : 2);

let config;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
const { database } = await openConfiguredDatabase(config);
const logger = createJsonLogger({ silent: true });
let removedFirstKeyFile = false;
// The server's wiring; this command never serves, so its app is never built.
const { services, stores } = createRuntime(database, config, {
  logger,
  hashSecret: nodeHashSecret,
  // Revoking the first-start key removes its file, as the server does (functions/runtime/first-start-key.ts).
  onKeyRevoked: async (key) => {
    removedFirstKeyFile = await firstKey.forget(key);
  },
  rateLimiter: undefined,
  clientAddress: () => 'local',
  dispatchAfterWrites: false,
});
const firstKey = firstStartKeyFile(config, stores.apiKeys, nodeHashSecret, logger);

try {
  if (command === 'create') {
    if (!values.name) fail('create needs --name <name>.');
    if (!SCOPES.includes(values.scope as Scope)) fail(`create needs --scope ${SCOPES.join('|')}.`);
    const projectId = values.project === undefined ? undefined : Number(values.project);
    if (projectId !== undefined && !(Number.isInteger(projectId) && projectId > 0))
      fail('--project must be a project id (a positive integer).');
    const { key, secret } = await services.apiKeys.create({
      name: values.name,
      scope: values.scope as Scope,
      projectId,
    });
    process.stderr.write(
      `Created key ${key.id} (${key.prefix}…, scope ${key.scope}${key.projectId ? `, project ${key.projectId}` : ''}). It is shown once:\n`,
    );
    process.stdout.write(`${secret}\n`);
  } else if (command === 'list') {
    const keys = await services.apiKeys.list();
    const rows = keys.map((k) =>
      [
        k.id,
        k.prefix,
        k.scope,
        k.projectId ?? '-',
        k.revokedAt ? `revoked ${isoTime(k.revokedAt)}` : 'active',
        k.lastUsedAt ? isoTime(k.lastUsedAt) : 'never used',
        k.name,
      ].join('\t'),
    );
    process.stdout.write(
      ['id\tprefix\tscope\tproject\tstate\tlast used\tname', ...rows].join('\n') + '\n',
    );
  } else if (command === 'revoke') {
    const id = Number(rest[0]);
    if (!Number.isInteger(id) || id < 1)
      fail('revoke needs a key id: npm run keys -- revoke <id>.');
    const key = await services.apiKeys.revoke(id);
    process.stderr.write(`Revoked key ${key.id} (${key.prefix}…).\n`);
    if (removedFirstKeyFile)
      process.stderr.write(`Removed ${firstKey.path}: it held this key, which no longer works.\n`);
  } else {
    fail(`Unknown command "${command}".\n\n${USAGE}`);
  }
} catch (error) {
  if (error instanceof DomainError) fail(error.message, 1);
  throw error;
} finally {
  await database.close();
}
