import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import type { Database } from '../../db/database.js';
import { openLibsql } from '../../db/libsql.js';

/** Opens a database over a file path. */
export type OpenFile = (file: string) => Promise<Database>;

/**
 * The two Node drivers over a real file, for `describe.each` (D1 runs the same statements in the
 * Workers suites).
 */
export const FILE_DRIVERS: Array<[string, OpenFile]> = [
  ['better-sqlite3 file', (file) => Promise.resolve(openBetterSqlite(file))],
  ['libSQL file', (file) => openLibsql({ url: `file:${file}` })],
];

/**
 * A fresh database per call, each a new file in one temporary folder of this suite; all are
 * closed and the folder removed after it.
 */
export function freshFileDatabases(open: OpenFile, name: string): () => Promise<Database> {
  const dir = mkdtempSync(join(tmpdir(), `chronotrack-${name}-`));
  const opened: Database[] = [];
  let counter = 0;
  afterAll(async () => {
    await Promise.all(opened.map((d) => d.close().catch(() => {})));
    rmSync(dir, { recursive: true, force: true });
  });
  return async () => {
    const database = await open(join(dir, `${name}-${counter++}.db`));
    opened.push(database);
    return database;
  };
}
