import { DomainError } from '../errors.js';
import type { Logger } from '../logger.js';

/** A consistent, checked copy of the database, ready to stream once. */
export interface BackupSnapshot {
  body: ReadableStream<Uint8Array>;
  bytes: number;
  runs: number;
}

/**
 * Copies the live database: a platform part handed to createRuntime, which only a runtime with a
 * database file has (Node on its SQLite file: functions/runtime/node-backup.ts), so shared/ and
 * functions/http/ never touch a file. D1 and a libSQL server have their own tools.
 */
export interface DatabaseBackup {
  /** A consistent copy taken while the server keeps writing, checked with integrity_check. */
  snapshot(): Promise<BackupSnapshot>;
}

/** The 501 of GET /api/admin/backup where the database is not a file this server can copy. */
export const NO_DATABASE_FILE =
  'This server has no database file to copy: on Cloudflare D1 use `wrangler d1 export <database> --remote --output backup.sql` (and D1 Time Travel to go back in time), on a libSQL server its own backup tools.';

/** GET /api/admin/backup (admin scope): the platform's copy, or a clear refusal without one. */
export class BackupService {
  constructor(
    private readonly backup: DatabaseBackup | undefined,
    private readonly logger: Logger,
  ) {}

  async snapshot(): Promise<BackupSnapshot> {
    if (!this.backup) throw new DomainError('BACKUP_NOT_SUPPORTED', NO_DATABASE_FILE);
    const started = Date.now();
    const snapshot = await this.backup.snapshot();
    this.logger.info('backup: snapshot taken', {
      bytes: snapshot.bytes,
      runs: snapshot.runs,
      ms: Date.now() - started,
    });
    return snapshot;
  }
}
