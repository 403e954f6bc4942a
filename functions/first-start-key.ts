/**
 * Node only. On the very first start (no key has ever been created, no ADMIN_API_KEY, AUTH on),
 * creates an admin key and writes it to a file only this user can read, beside the database, so
 * a newcomer has a working key without guessing. The log names the file, never the key.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Config } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import type { ApiKeyService } from '../shared/services/index.js';

/** Beside the database: the SQLite file, a libSQL `file:` URL's file, else DATABASE_FILE's folder. */
function firstKeyFile(config: Config): string {
  if (config.FIRST_KEY_FILE) return resolve(config.FIRST_KEY_FILE);
  const libsqlFile = config.DATABASE_URL?.match(/^file:(.+)$/)?.[1];
  return resolve(dirname(libsqlFile ?? config.DATABASE_FILE), 'admin-key');
}

export async function ensureFirstStartKey(
  config: Config,
  keys: ApiKeyService,
  logger: Logger,
): Promise<void> {
  if (!config.AUTH || config.ADMIN_API_KEY || (await keys.count()) > 0) return;
  const file = firstKeyFile(config);
  const { key, secret } = await keys.create({ name: 'first-start admin key', scope: 'admin' });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // an existing file keeps its mode on write
  logger.warn('created the first admin key', {
    keyId: key.id,
    prefix: key.prefix,
    file,
    hint: `export CHRONOTRACK_API_KEY=$(cat ${file}); create your own keys with it and revoke this one`,
  });
}
