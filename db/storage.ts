import { DomainError, storageFull } from '../shared/errors.js';

/**
 * SQLite's result codes for a volume that takes no more bytes. ENOSPC on a write is
 * `SQLITE_FULL` (os_unix.c's unixWrite), growing the WAL index (`-shm`) by writing to it is
 * `SQLITE_IOERR_SHMSIZE`, and a quota (EDQUOT) or a short write with another errno is
 * `SQLITE_IOERR_WRITE`: all three mean "free space and try again", not a bug in the request.
 */
const FULL_CODES = new Set(['SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_SHMSIZE']);

/** SQLite's message for SQLITE_FULL, which D1 passes on as text only (`D1_ERROR: ...`). */
const FULL_MESSAGE = 'database or disk is full';

/**
 * Whether `error` is the driver saying the database's volume is full. better-sqlite3's
 * SqliteError and libSQL's LibsqlError carry SQLite's code in `code`; Drizzle wraps them in
 * `cause`, so the chain is walked, as db/constraint-errors.ts does for messages.
 */
export function isStorageFull(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && FULL_CODES.has(code)) return true;
    if (e.message.includes(FULL_MESSAGE)) return true;
    e = e.cause;
  }
  return false;
}

/** A write's failure as the domain sees it: a full volume becomes STORAGE_FULL, the rest as is. */
export const asStorageError = (error: unknown): unknown =>
  error instanceof DomainError || !isStorageFull(error) ? error : storageFull();

/** What the process knows of its database's volume, from the writes it made. */
export interface StorageState {
  /** A write was refused for want of space, and none has changed the database since. */
  readonly full: boolean;
  /** Writes refused for want of space since the process started. */
  readonly refusedWrites: number;
  /** Calls `listener` on every change of `full` (true: writes are now refused). */
  onChange(listener: (full: boolean) => void): void;
}

/**
 * Tracks whether writes are refused for want of space. Set by the first refused write, cleared
 * by the first write after it that changed the database and committed: only a write that really
 * wrote proves there is room again (a commit with nothing to write, such as a sweep that found no
 * lost run, succeeds on a full disk). `changes` is a counter of rows changed, which only grows.
 */
export class StorageMonitor implements StorageState {
  full = false;
  refusedWrites = 0;
  private changesAtRefusal = 0;
  private readonly listeners: Array<(full: boolean) => void> = [];

  constructor(private readonly changes: () => number) {}

  onChange(listener: (full: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** A write failed with `error`: STORAGE_FULL when the volume is full (and the state says so). */
  failed(error: unknown): unknown {
    if (!isStorageFull(error)) return error;
    this.refusedWrites++;
    this.changesAtRefusal = this.changes();
    this.set(true);
    return storageFull();
  }

  /** A batch committed: if it changed rows since the last refusal, there is room again. */
  committed(): void {
    if (this.full && this.changes() > this.changesAtRefusal) this.set(false);
  }

  private set(full: boolean): void {
    if (this.full === full) return;
    this.full = full;
    for (const listener of this.listeners) listener(full);
  }
}

/** The state of a driver whose process sees no volume (D1) or keeps none (libSQL): never full. */
export const untrackedStorage: StorageState = {
  full: false,
  refusedWrites: 0,
  onChange: () => {},
};
