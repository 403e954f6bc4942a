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
      if (this.waiting.length === 0) this.open();
      const { savepoint, release, rollbackTo } = this.statements;
      savepoint.run();
      let value: T;
      try {
        value = statement();
        release.run();
      } catch (error) {
        // Only this write's changes are undone; it had nothing to acknowledge, so it fails now.
        rollbackTo.run();
        release.run();
        reject(error);
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
      failure = error;
      if (this.sqlite.inTransaction) this.statements.rollback.run();
    }
    if (failure === null) this.onCommit?.(waiting.length);
    for (const settle of waiting) settle(failure);
  }

  private open(): void {
    if (!this.sqlite.inTransaction) this.statements.begin.run();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }
}
