import type BetterSqlite3 from 'better-sqlite3';

export interface GroupCommitOptions {
  /** Writes that share one transaction at most: a full batch commits at once. */
  maxBatch?: number;
  /** Called after every COMMIT with the number of writes it acknowledged (tests, metrics). */
  onCommit?: (writes: number) => void;
}

export const DEFAULT_MAX_BATCH = 128;

/**
 * Group commit over one better-sqlite3 connection. A commit costs far more than the statement it
 * makes durable (docs/performance.md#hand-tuned-code), so writes that arrive while a transaction
 * is open share it:
 *
 * - the first write of a batch opens `BEGIN IMMEDIATE` (the write lock is taken up front, so
 *   another process waits in busy_timeout instead of failing on upgrade) and schedules the
 *   COMMIT with `setImmediate`: every request whose handler runs in the same turn of the event
 *   loop joins, and under light load a write waits for nothing but the end of that turn;
 * - each write runs in its own SAVEPOINT: one that throws (a constraint, a bug) is rolled back to
 *   it and rejected, and the others in the batch are untouched;
 * - each write's promise settles only after the shared COMMIT has returned, so nothing is
 *   acknowledged before it is in the database; if the COMMIT fails, every write in it is rejected.
 *
 * The statements must be synchronous (better-sqlite3 is), so a write can never span turns of the
 * event loop. Reads belong on another connection: this one sees the batch before it commits.
 */
export class GroupCommit {
  private readonly maxBatch: number;
  private readonly onCommit: ((writes: number) => void) | undefined;
  private readonly statements: Record<
    'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo',
    BetterSqlite3.Statement
  >;
  /** Settles each write of the open batch once its fate (commit or not) is known. */
  private waiting: Array<(error: unknown) => void> = [];
  private flushScheduled = false;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    this.onCommit = options.onCommit;
    const prepare = (text: string) => sqlite.prepare(text);
    this.statements = {
      begin: prepare('BEGIN IMMEDIATE'),
      commit: prepare('COMMIT'),
      rollback: prepare('ROLLBACK'),
      savepoint: prepare('SAVEPOINT request'),
      release: prepare('RELEASE request'),
      rollbackTo: prepare('ROLLBACK TO request'),
    };
  }

  /** Runs `statement` in the open batch (opening one if needed); settles after the COMMIT. */
  write<T>(statement: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.open();
      const { savepoint, release } = this.statements;
      savepoint.run();
      let value: T;
      try {
        value = statement();
        release.run();
      } catch (error) {
        // Only this write's changes are undone; it had nothing to acknowledge, so it fails now.
        reject(error);
        this.undo(error);
        return;
      }
      this.waiting.push((commitError) => (commitError ? reject(commitError) : resolve(value)));
      if (this.waiting.length >= this.maxBatch) this.flush();
    });
  }

  /** Commits the open batch now, if any (also what `close` calls before closing). */
  flush(): void {
    const waiting = this.waiting;
    if (waiting.length === 0) {
      // A batch whose every write failed still holds the write lock: end it.
      if (this.sqlite.inTransaction) this.statements.rollback.run();
      return;
    }
    this.waiting = [];
    let failure: unknown = null;
    try {
      this.statements.commit.run();
    } catch (error) {
      // SQLITE_FULL on COMMIT rolls the transaction back by itself; SQLITE_BUSY leaves it open.
      failure = error;
      this.rollback();
    }
    if (failure === null) this.onCommit?.(waiting.length);
    for (const settle of waiting) settle(failure);
  }

  /**
   * After a write's statement threw: undo only that write (its savepoint), unless SQLite has
   * already rolled back the whole transaction, as it may on SQLITE_FULL or SQLITE_IOERR. Then the
   * batch's earlier writes are gone too and must be refused, not acknowledged: left waiting, the
   * next write's SAVEPOINT would open a new transaction and the COMMIT of that one would resolve
   * them.
   */
  private undo(error: unknown): void {
    if (this.sqlite.inTransaction) {
      try {
        this.statements.rollbackTo.run();
        this.statements.release.run();
        return;
      } catch {
        // The savepoint could not be rolled back to: give up the whole batch.
        this.rollback();
      }
    }
    this.abandon(error);
  }

  /** Settles the open batch's writes with `cause`: none of them was committed. */
  private abandon(cause: unknown): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const settle of waiting) settle(cause);
  }

  /** ROLLBACK when a transaction is open; one SQLite already ended is not an error. */
  private rollback(): void {
    if (!this.sqlite.inTransaction) return;
    try {
      this.statements.rollback.run();
    } catch {
      // "cannot rollback - no transaction is active": SQLite ended it first.
    }
  }

  private open(): void {
    if (!this.sqlite.inTransaction) {
      // Writes still waiting with no transaction open were rolled back with it (see undo).
      if (this.waiting.length > 0) this.abandon(new Error('the batch was rolled back by SQLite'));
      this.statements.begin.run();
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }
}
