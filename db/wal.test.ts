import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from './better-sqlite3.js';
import { DrizzleJobRepository, DrizzleJobRunRepository } from './drizzle-repositories.js';

/**
 * Guards the write path against statements left open (e.g. `.returning().get()` on
 * better-sqlite3), which stop SQLite from checkpointing and let the WAL grow without bound.
 */
describe('write-ahead log under sustained writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-wal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stays under 64 MB after 100,000 writes through the repositories', async () => {
    const file = join(dir, 'wal.db');
    const database = openBetterSqlite(file);
    const jobs = new DrizzleJobRepository(database);
    const runs = new DrizzleJobRunRepository(database);
    const job = await jobs.create({
      projectId: 1,
      key: 'wal',
      name: 'wal',
      description: null,
      type: null,
      now: new Date(),
    });
    let writes = 0;
    while (writes < 100_000) {
      const run = await runs.createForActiveJob({
        jobId: job.id,
        status: 'RUNNING',
        createdAt: new Date(),
        startedAt: new Date(),
        metadata: { n: writes },
      });
      if (!run) throw new Error('run not created');
      await runs.updateIf(
        run.id,
        { statuses: ['RUNNING'], startedAt: run.startedAt },
        { status: 'SUCCESS', finishedAt: new Date() },
      );
      writes += 2;
    }
    const walBytes = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
    await database.close();
    expect(walBytes).toBeLessThan(64 * 1024 * 1024);
    // With checkpoints running, the log stays near its autocheckpoint size (~4 MB), far below the bound.
    expect(walBytes).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);
});
