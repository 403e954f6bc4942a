import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Consistent copies of a live SQLite file, and their checks.
 *
 * The copy is `VACUUM INTO` over a read-only connection of its own, not the online backup API
 * (`db.backup()`): the backup API restarts from the first page whenever another connection writes
 * (the server's writer is always another connection, in another process for the admin command),
 * so on a busy server a large file might never finish. `VACUUM INTO` reads one snapshot inside
 * one read transaction: in WAL mode the server keeps writing meanwhile, and the copy holds every
 * write committed before it began, compacted. It is synchronous, so it runs in a worker thread:
 * the server keeps answering while a GET /api/admin/backup copies and checks.
 *
 * The worker is a short CommonJS script (better-sqlite3 is resolved by this module and handed in
 * by path), so it needs no file of its own in the esbuild bundle nor a TypeScript loader.
 */

/** What `integrity_check` or `quick_check` reports: none is a sound file. */
export type IntegrityMode = 'full' | 'quick';

/** At most this many problems are listed (SQLite stops looking after them). */
const MAX_PROBLEMS = 20;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { task, file, target, mode, maxProblems } = workerData;
function check(path) {
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const pragma = (mode === 'quick' ? 'quick_check' : 'integrity_check') + '(' + maxProblems + ')';
    const rows = db.pragma(pragma, { simple: false }).map((row) => Object.values(row)[0]);
    const problems = rows.length === 1 && rows[0] === 'ok' ? [] : rows.map(String);
    let runs = null;
    if (problems.length === 0) {
      const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'job_runs'").get();
      if (table) runs = db.prepare('SELECT count(*) AS n FROM job_runs').get().n;
    }
    return { problems, runs };
  } finally {
    db.close();
  }
}
try {
  if (task === 'snapshot') {
    const source = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
    try { source.prepare('VACUUM INTO ?').run(target); } finally { source.close(); }
    parentPort.postMessage({ ok: true, ...check(target) });
  } else {
    parentPort.postMessage({ ok: true, ...check(file) });
  }
} catch (error) {
  parentPort.postMessage({ ok: false, message: error && error.message ? error.message : String(error), code: error && error.code });
}
`;

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

export interface CheckResult {
  /** integrity_check's or quick_check's lines; empty when the file is sound. */
  problems: string[];
  /** Rows of job_runs (null when the file is damaged or has no such table). */
  runs: number | null;
}

/** A check or copy that SQLite itself refused (not a database, locked, I/O error...). */
export class SqliteFileError extends Error {
  override readonly name = 'SqliteFileError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** A running worker's outcome, and a way to stop waiting for it. */
export interface PendingCheck<T> {
  result: Promise<T>;
  /** Lets the process exit while the worker still runs (the startup check's time bound). */
  unref(): void;
}

function runWorker(data: Record<string, unknown>): PendingCheck<CheckResult> {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { driver: DRIVER, maxProblems: MAX_PROBLEMS, mode: 'full', ...data },
  });
  const result = new Promise<CheckResult>((resolve, reject) => {
    worker.once(
      'message',
      (
        message:
          ({ ok: true } & CheckResult) | { ok: false; message: string; code: string | undefined },
      ) => {
        if (message.ok) resolve({ problems: message.problems, runs: message.runs });
        else reject(new SqliteFileError(message.message, message.code));
      },
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the SQLite worker exited (${code})`)));
  });
  return { result, unref: () => worker.unref() };
}

/**
 * Runs `integrity_check` (or the faster `quick_check`, which skips matching indexes to their
 * tables) on `file`, in a worker thread, over a read-only connection: safe while a server writes.
 */
export function checkDatabase(
  file: string,
  mode: IntegrityMode = 'full',
): PendingCheck<CheckResult> {
  return runWorker({ task: 'check', file, mode });
}

export interface BackupReport {
  file: string;
  bytes: number;
  runs: number;
  ms: number;
}

/** A backup whose copy failed its integrity check: the source itself is likely damaged. */
export class DamagedBackupError extends Error {
  override readonly name = 'DamagedBackupError';
  constructor(readonly problems: string[]) {
    super(`the copy failed integrity_check: ${problems.slice(0, 3).join('; ')}`);
  }
}

/**
 * Writes a consistent copy of the live database `source` to `target`, checked with
 * integrity_check before it takes `target`'s name: the copy is written beside `target` under a
 * temporary name, flushed to disk, checked, then renamed over it, so a failed or damaged backup
 * never replaces the previous one and `target` is never half written.
 */
export async function writeBackup(source: string, target: string): Promise<BackupReport> {
  const started = performance.now();
  statSync(source); // a missing file is an error here, not an empty copy
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
  rmSync(temporary, { force: true });
  // Created empty (VACUUM INTO accepts that) and private: it holds the webhooks' signing secrets.
  closeSync(openSync(temporary, 'wx', 0o600));
  try {
    const { problems, runs } = await runWorker({
      task: 'snapshot',
      file: source,
      target: temporary,
    }).result;
    if (problems.length > 0) throw new DamagedBackupError(problems);
    flushToDisk(temporary);
    renameSync(temporary, target);
    flushToDisk(dirname(target));
    return {
      file: target,
      bytes: statSync(target).size,
      runs: runs ?? 0,
      ms: performance.now() - started,
    };
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** fsync: VACUUM INTO leaves its output to the OS cache; a backup should survive a power cut. */
export function flushToDisk(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
