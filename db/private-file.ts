import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Owner read and write only: the database holds webhook signing secrets and ping keys. */
const PRIVATE = 0o600;

/**
 * Makes `file` ready for SQLite to open as a private database: its directory is created when
 * missing (0700), the file itself is created 0600 before SQLite sees it, and an existing file or
 * journal that others may read (a file from before this rule) loses its group and other bits.
 * SQLite gives the `-wal`, `-shm` and `-journal` files it creates the database file's mode, so
 * they follow.
 */
export function preparePrivateDatabaseFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    // Another process on the same file may remove its WAL or journal at any moment.
    try {
      const mode = statSync(path).mode & 0o777;
      if ((mode & 0o077) !== 0) chmodSync(path, mode & 0o700);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
