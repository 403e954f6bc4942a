/**
 * `npm run admin -- <command>` (`chronotrack-admin <command>` in the container image): operate
 * the server's SQLite file (DATABASE_FILE, the server's own configuration) from beside it.
 *
 *   npm run admin -- backup <file>     a consistent copy while the server runs, checked
 *   npm run admin -- restore <file>    replace the database by a checked copy (server stopped)
 *   npm run admin -- check [<file>]    integrity_check of the database (or of a backup)
 *
 * Exit codes: 0 done; 1 refused or failed (a damaged file, a running server); 2 usage.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkDatabase,
  DamagedBackupError,
  SqliteFileError,
  writeBackup,
} from '../../db/backup.js';
import { DatabaseInUseError, restoreDatabase } from '../../db/restore.js';
import { ConfigError, parseConfig } from '../../shared/config.js';

const USAGE = `Usage:
  npm run admin -- backup <file>          write a consistent copy of the live database to <file>
  npm run admin -- restore <file>         replace the database by <file> (stop the server first)
  npm run admin -- check [<file>] [--quick]
                                          integrity_check of the database, or of <file>

In the container image the same commands are \`chronotrack-admin backup /data/backup.db\`...
Uses the server's database file, DATABASE_FILE (default ./data/chronotrack.db).

backup   may run while the server serves and writes: the copy is one consistent snapshot
         (VACUUM INTO), written beside <file>, checked with integrity_check, then renamed over
         <file>; a failed backup leaves the previous <file> as it was.
restore  checks <file> first, refuses while a server (any process) has the database open, keeps
         the replaced database as <database>.before-restore-<time>, and removes its -wal/-shm.
check    exits 1 and lists what SQLite found when the file is damaged.

Exit codes: 0 done, 1 refused or failed, 2 usage.`;

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const runs = (count: number | null) => `${(count ?? 0).toLocaleString('en-US')} runs`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
const [command, path, ...extra] = positionals;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!command) fail(USAGE, 2);
if (extra.length > 0) fail(`Too many arguments.\n\n${USAGE}`, 2);

let config;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 2);
  throw error;
}
if (config.DATABASE_URL)
  fail(
    "DATABASE_URL is set: the database is a libSQL server, not a file here. Back it up with the libSQL server's own tools (or `sqld`'s snapshots).",
    2,
  );
const database = resolve(config.DATABASE_FILE);

try {
  if (command === 'backup') {
    if (!path) fail('backup needs the file to write: npm run admin -- backup <file>.', 2);
    const report = await writeBackup(database, resolve(path));
    process.stdout.write(
      `Wrote ${report.file}: ${mebibytes(report.bytes)}, ${runs(report.runs)}, in ${seconds(report.ms)}; integrity_check ok.\n`,
    );
  } else if (command === 'restore') {
    if (!path) fail('restore needs the backup to restore: npm run admin -- restore <file>.', 2);
    const started = performance.now();
    const report = await restoreDatabase(database, resolve(path));
    process.stdout.write(
      `Restored ${database} from ${resolve(path)}: ${runs(report.runs)}, in ${seconds(performance.now() - started)}; integrity_check ok.\n`,
    );
    if (report.previous)
      process.stdout.write(
        `The replaced database is kept as ${report.previous}; delete it once the restored server looks right.\n`,
      );
  } else if (command === 'check') {
    const file = resolve(path ?? database);
    const started = performance.now();
    const mode = values.quick ? 'quick' : 'full';
    const { problems, runs: count } = await checkDatabase(file, mode).result;
    const name = mode === 'quick' ? 'quick_check' : 'integrity_check';
    if (problems.length > 0)
      fail(`${file} is damaged (${name}):\n${problems.map((line) => `  ${line}`).join('\n')}`);
    process.stdout.write(
      `${file}: ${name} ok, ${runs(count)}, in ${seconds(performance.now() - started)}.\n`,
    );
  } else {
    fail(`Unknown command "${command}".\n\n${USAGE}`, 2);
  }
} catch (error) {
  if (error instanceof DatabaseInUseError)
    fail(
      `Refusing to restore: ${error.file} is open in another process, most likely a running server. Stop it (docker stop <container>, systemctl stop chronotrack...), then run this again. Nothing was changed.`,
    );
  if (error instanceof DamagedBackupError)
    fail(`The copy is damaged, so nothing was replaced: ${error.problems.slice(0, 5).join('; ')}`);
  if (error instanceof SqliteFileError) fail(`SQLite could not read it: ${error.message}`);
  if ((error as NodeJS.ErrnoException).code === 'ENOENT')
    fail(`No such file: ${(error as NodeJS.ErrnoException).path ?? path}`);
  throw error;
}
