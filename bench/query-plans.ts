/**
 * Prints SQLite's EXPLAIN QUERY PLAN for every list query, as Markdown, from a database file
 * (default: a fresh empty one). `npm run bench` runs it against the seeded 1,000,000-run database.
 *   tsx bench/query-plans.ts [database-file]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBetterSqlite } from '../db/better-sqlite3.js';
import { explainListQueries, isFullScan } from '../test/db/query-plans.js';

export async function queryPlansMarkdown(file: string): Promise<string> {
  const database = openBetterSqlite(file);
  try {
    const plans = await explainListQueries(database);
    const rows = plans.map(({ name, plan }) => {
      const flag = plan.some(isFullScan) ? ' **FULL SCAN**' : '';
      return `| \`${name}\` | ${plan.map((line) => `\`${line}\``).join('<br>')}${flag} |`;
    });
    return ['| Request | EXPLAIN QUERY PLAN |', '| --- | --- |', ...rows].join('\n');
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file =
    process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'chronotrack-plans-')), 'plans.db');
  console.log(await queryPlansMarkdown(file));
}
