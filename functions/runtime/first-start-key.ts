/**
 * Node only. On the very first start (no key has ever been created, no ADMIN_API_KEY, AUTH on),
 * creates an admin key and writes it to a file only this user can read, beside the database, so
 * a newcomer has a working key without guessing. The log names the file, never the key.
 *
 * The README then says to revoke that key once you have your own: the file must not outlive it,
 * or `cat data/admin-key` hands out a key that answers 401. So revoking it (the API or
 * `npm run keys -- revoke`) removes the file, and a start that finds the file holding a key that no
 * longer works (restored from a backup, or the key revoked where the file was not in reach) says
 * so in its log, naming the file. Workers have no such file and no such step.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { HashSecret } from '../../shared/api-key-secret.js';
import type { Config } from '../../shared/config.js';
import type { Logger } from '../../shared/logger.js';
import type { ApiKeyRecord, ApiKeyRepository } from '../../shared/repositories.js';
import type { ApiKeyService } from '../../shared/services/index.js';

/** Beside the database: the SQLite file, a libSQL `file:` URL's file, else DATABASE_FILE's folder. */
function firstKeyFile(config: Config): string {
  if (config.FIRST_KEY_FILE) return resolve(config.FIRST_KEY_FILE);
  const libsqlFile = config.DATABASE_URL?.match(/^file:(.+)$/)?.[1];
  return resolve(dirname(libsqlFile ?? config.DATABASE_FILE), 'admin-key');
}

/** Why the first start will not write its key file: the server stops with this message. */
export class FirstStartKeyFileError extends Error {
  override readonly name = 'FirstStartKeyFileError';
}

/**
 * Makes sure nothing but a file of our own stands where the key goes, before any key exists:
 * a symbolic link (which a plain write would follow, writing the key wherever it points) or a
 * file another user owns is refused; our own file, left by an earlier database, is removed.
 */
async function clearKeyFilePath(file: string): Promise<void> {
  let stat;
  try {
    stat = await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const refuse = (what: string) =>
    new FirstStartKeyFileError(
      `refusing to write the first admin key to ${file}: ${what}. Remove it, or set FIRST_KEY_FILE ` +
        'to another path (or ADMIN_API_KEY), then start again',
    );
  if (stat.isSymbolicLink()) throw refuse('it is a symbolic link');
  if (!stat.isFile()) throw refuse('it is not a regular file');
  if (process.getuid && stat.uid !== process.getuid()) throw refuse('another user owns it');
  await unlink(file);
}

export async function ensureFirstStartKey(
  config: Config,
  keys: ApiKeyService,
  logger: Logger,
): Promise<void> {
  if (!config.AUTH || config.ADMIN_API_KEY || (await keys.count()) > 0) return;
  const file = firstKeyFile(config);
  // Checked before the key is created: a refused path must not leave a key nobody can read.
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await clearKeyFilePath(file);
  const { key, secret } = await keys.create({ name: 'first-start admin key', scope: 'admin' });
  // Created here or not at all: O_EXCL fails if anything appeared since, O_NOFOLLOW on a link.
  const handle = await open(
    file,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o600,
  );
  try {
    await handle.writeFile(`${secret}\n`);
  } finally {
    await handle.close();
  }
  logger.warn('created the first admin key', {
    keyId: key.id,
    prefix: key.prefix,
    file,
    hint: `export CHRONOTRACK_API_KEY=$(cat ${file}); create your own keys with it and revoke this one`,
  });
}

/** The first-start key file of a configuration, and what becomes of it when keys are revoked. */
export interface FirstStartKeyFile {
  readonly path: string;
  /**
   * At start: a warning naming the file when it holds a key that no longer works, revoked or
   * unknown to this database. Nothing when there is no file, or AUTH is off.
   */
  warnIfStale(): Promise<void>;
  /** After `key` was revoked: removes the file if it holds that key; true when it did. */
  forget(key: ApiKeyRecord): Promise<boolean>;
}

export function firstStartKeyFile(
  config: Config,
  keys: Pick<ApiKeyRepository, 'findByHash'>,
  hashSecret: HashSecret,
  logger: Logger,
): FirstStartKeyFile {
  const path = firstKeyFile(config);
  /** The file's key and what the database says of it; null when there is no file. */
  const lookUp = async () => {
    let secret: string;
    try {
      secret = (await readFile(path, 'utf8')).trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return { secret, key: secret ? await keys.findByHash(await hashSecret(secret)) : null };
  };
  return {
    path,
    async warnIfStale() {
      if (!config.AUTH) return;
      const found = await lookUp();
      if (!found || (found.key && found.key.revokedAt === null)) return;
      if (config.ADMIN_API_KEY && found.secret === config.ADMIN_API_KEY) return;
      logger.warn('the first-start key file holds a key that no longer works', {
        file: path,
        reason: found.key ? 'revoked' : 'unknown to this database',
        ...(found.key ? { keyId: found.key.id, prefix: found.key.prefix } : {}),
        hint: `delete ${path}; use your own key, or make one: npm run keys -- create --name me --scope admin`,
      });
    },
    async forget(revoked) {
      const found = await lookUp();
      if (found?.key?.id !== revoked.id) return false;
      await unlink(path);
      logger.info('removed the first-start key file: its key was revoked', {
        file: path,
        keyId: revoked.id,
        prefix: revoked.prefix,
      });
      return true;
    },
  };
}
