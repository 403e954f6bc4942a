import { statSync } from 'node:fs';
import { checkDatabase, SqliteFileError } from '../../db/backup.js';
import type { Config } from '../../shared/config.js';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';

/** What the operator does about a damaged file: the exact commands, on either install. */
export const RESTORE_ADVICE =
  'Stop every server on this file and restore the last good backup: `npm run admin -- restore <backup.db>` ' +
  '(in the container image: `docker run --rm -v chronotrack-data:/data chronotrack chronotrack-admin restore /data/<backup.db>`), ' +
  'then start again. INTEGRITY_CHECK_AT_START=off serves the file as it is.';

export type StartCheck =
  | { verdict: 'ok' | 'skipped'; ms: number }
  | { verdict: 'damaged'; ms: number; problems: string[] }
  | { verdict: 'unfinished'; ms: number };

/**
 * The integrity check before the server serves its SQLite file (INTEGRITY_CHECK_AT_START):
 * `quick_check` by default, in a worker thread over a read-only connection. It waits at most
 * INTEGRITY_CHECK_MAX_SECONDS: past that the server starts, and the check goes on in the
 * background and logs its verdict (an error, if it finds damage: the server then keeps serving
 * what it already serves, and the next start refuses). A missing or empty file (a first start),
 * and a libSQL DATABASE_URL, are not checked.
 */
export async function checkAtStart(config: Config, logger: Logger): Promise<StartCheck> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const mode = config.INTEGRITY_CHECK_AT_START;
  if (mode === 'off' || config.DATABASE_URL || isEmpty(config.DATABASE_FILE))
    return { verdict: 'skipped', ms: 0 };

  const check = checkDatabase(config.DATABASE_FILE, mode);
  const verdict = check.result.then(
    ({ problems }) => problems,
    (error: unknown) => {
      // "file is not a database", an I/O error: SQLite cannot read it at all.
      if (error instanceof SqliteFileError) return [error.message];
      throw error;
    },
  );
  const limitMs = config.INTEGRITY_CHECK_MAX_SECONDS * 1000;
  let timer: NodeJS.Timeout | undefined;
  const timeout =
    limitMs > 0
      ? new Promise<'unfinished'>((resolve) => {
          timer = setTimeout(() => resolve('unfinished'), limitMs);
        })
      : undefined;
  const first = await (timeout ? Promise.race([verdict, timeout]) : verdict);
  clearTimeout(timer);

  if (first === 'unfinished') {
    check.unref();
    logger.warn('integrity check at start: not finished in time, serving while it goes on', {
      file: config.DATABASE_FILE,
      mode,
      maxSeconds: config.INTEGRITY_CHECK_MAX_SECONDS,
    });
    void verdict.then(
      (problems) => {
        const fields = { file: config.DATABASE_FILE, mode, ms: elapsed() };
        if (problems.length === 0) logger.info('integrity check at start: ok', fields);
        else
          logger.error(`the database file is damaged. ${RESTORE_ADVICE}`, {
            ...fields,
            problems: problems.slice(0, 5),
          });
      },
      (error: unknown) =>
        logger.warn('integrity check at start failed', { error: errorMessage(error) }),
    );
    return { verdict: 'unfinished', ms: elapsed() };
  }
  if (first.length > 0) return { verdict: 'damaged', ms: elapsed(), problems: first };
  return { verdict: 'ok', ms: elapsed() };
}

function isEmpty(file: string): boolean {
  try {
    return statSync(file).size === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}
