/**
 * Whether `error` is SQLite's unique-constraint failure on exactly these columns (`table.column`
 * names, in index order). Every driver passes SQLite's own message on (better-sqlite3's
 * SqliteError, libSQL's LibsqlError, D1's `D1_ERROR: ...`), and Drizzle wraps it in `cause`, so
 * the message is what is matched, down the cause chain.
 */
export function isUniqueViolation(error: unknown, columns: readonly string[]): boolean {
  const expected = `UNIQUE constraint failed: ${columns.join(', ')}`;
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e.message.includes(expected)) return true;
    e = e.cause;
  }
  return false;
}
