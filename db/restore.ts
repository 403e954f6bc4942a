import BetterSqlite3 from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, linkSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkDatabase, DamagedBackupError, flushToDisk, type CheckResult } from './backup.js';
import { preparePrivateDatabaseFile } from './private-file.js';

/**
 * Who else has the database open. Every connection to a WAL database holds a shared lock on the
 * file for as long as it is open (that is how SQLite tells the last one to close), and the kernel
 * drops those locks when a process dies, even by `kill -9`. So asking for an exclusive lock, with
 * no wait, answers "is a server on this file?" across processes and containers sharing the
 * volume, with no pid file to go stale and no pid namespace to get wrong.
 */
function lockExclusively(file: string): BetterSqlite3.Database | null {
  const probe = new BetterSqlite3(file, { fileMustExist: true, timeout: 0 });
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    // The lock is taken by the first read; SQLITE_BUSY: another connection holds the file.
    probe.prepare('SELECT count(*) FROM sqlite_master').get();
    return probe;
  } catch (error) {
    probe.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw error;
  }
}

/** True while another connection (a running server, the keys command...) has `file` open. */
export function databaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const probe = lockExclusively(file);
  probe?.close();
  return probe === null;
}

/** The database is open elsewhere: a server must be stopped before its file is replaced. */
export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
  constructor(readonly file: string) {
    super(`${file} is open in another process (a running server?)`);
  }
}

export interface RestoreReport extends CheckResult {
  /** The database that was replaced, kept under another name (none when there was no file). */
  previous: string | null;
}

/**
 * Replaces the database `live` by a copy of `backup`, refusing while anything has `live` open.
 *
 * 1. `backup` passes integrity_check, else nothing is touched.
 * 2. It is copied beside `live` (same file system, so the last step is one rename), flushed,
 *    made private (0600) and checked again.
 * 3. `live` is locked exclusively (refused if a server has it). Under that lock the old file
 *    leaves WAL mode, which checkpoints its `-wal` into it and deletes it as SQLite does; a stale
 *    `-shm` (left by a killed server) is removed too. A new file beside an old WAL would replay
 *    the old frames onto it.
 * 4. The old file is kept as `<live>.before-restore-<time>` (a hard link), and the copy renamed
 *    over `live` in one step: a server started after this sees the whole restored file.
 */
export async function restoreDatabase(
  live: string,
  backup: string,
  now = new Date(),
): Promise<RestoreReport> {
  const source = await checkDatabase(backup, 'full').result;
  if (source.problems.length > 0) throw new DamagedBackupError(source.problems);

  preparePrivateDatabaseFile(live); // the directory, when restoring onto a fresh volume
  const incoming = `${live}.restoring`;
  copyFileSync(backup, incoming);
  try {
    chmodSync(incoming, 0o600);
    flushToDisk(incoming);
    const copied = await checkDatabase(incoming, 'full').result;
    if (copied.problems.length > 0) throw new DamagedBackupError(copied.problems);

    const probe = lockExclusively(live);
    if (!probe) throw new DatabaseInUseError(live);
    let previous: string | null = null;
    try {
      const empty = probe.prepare('SELECT count(*) AS n FROM sqlite_master').get() as {
        n: number;
      };
      probe.pragma('journal_mode = DELETE');
      for (const leftover of [`${live}-wal`, `${live}-shm`, `${live}-journal`])
        rmSync(leftover, { force: true });
      if (empty.n > 0) {
        previous = `${live}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
        linkSync(live, previous);
      }
      renameSync(incoming, live);
      flushToDisk(dirname(live));
    } finally {
      probe.close();
    }
    return { ...copied, previous };
  } finally {
    rmSync(incoming, { force: true });
  }
}
