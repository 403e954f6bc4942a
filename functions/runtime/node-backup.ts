import { readdirSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { writeBackup } from '../../db/backup.js';
import type { DatabaseBackup } from '../../shared/services/index.js';

/**
 * Node's DatabaseBackup (GET /api/admin/backup): the admin command's own copy (db/backup.ts:
 * `VACUUM INTO` in a worker thread, then integrity_check), written beside the database (the
 * volume that has room for it, where /tmp may be a small tmpfs), opened, and unlinked at once: the
 * open descriptor keeps it readable until the response has streamed it, and nothing is left
 * behind however the download ends (finished, cut off, or the process killed).
 */
export function nodeDatabaseBackup(databaseFile: string): DatabaseBackup {
  removeLeftovers(databaseFile);
  return {
    async snapshot() {
      const file = join(
        dirname(databaseFile),
        `.${basename(databaseFile)}.download-${randomUUID()}.db`,
      );
      try {
        const report = await writeBackup(databaseFile, file);
        const handle = await open(file, 'r');
        await rm(file);
        const stream = handle.createReadStream();
        return {
          body: Readable.toWeb(stream) as ReadableStream<Uint8Array>,
          bytes: report.bytes,
          runs: report.runs,
        };
      } finally {
        await rm(file, { force: true });
      }
    },
  };
}

/**
 * A copy still being written when its process died (SIGKILL, a crash) stays behind under its
 * temporary name, `.<db>.download-<uuid>.db.<pid>.partial`: removed at the next start, unless the
 * process that writes it is alive (another server on the same file).
 */
function removeLeftovers(databaseFile: string): void {
  const dir = dirname(databaseFile);
  const prefix = `.${basename(databaseFile)}.download-`;
  for (const name of readdirSync(dir)) {
    const pid = /\.(\d+)\.partial$/.exec(name)?.[1];
    if (!name.startsWith(prefix) || !pid || alive(Number(pid))) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
