import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../shared/logger.js';
import { HEALTH_PAGE, HealthRecorder } from '../shared/services/health-recorder.js';
import { openBetterSqlite } from './better-sqlite3.js';
import type { Database } from './database.js';
import { openLibsql } from './libsql.js';
import { drizzleStores } from './stores.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
const logger = createJsonLogger({ silent: true });

describe.each([
  ['better-sqlite3 file', (file: string) => Promise.resolve(openBetterSqlite(file))],
  ['libSQL file', (file: string) => openLibsql({ url: `file:${file}` })],
])('HealthRecorder on %s', (_name, open) => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-health-recorder-'));
  const opened: Database[] = [];
  let counter = 0;
  afterAll(async () => {
    await Promise.all(opened.map((d) => d.close().catch(() => {})));
    rmSync(dir, { recursive: true, force: true });
  });

  /** More jobs than two pages: every third ran, the others are due every 5 minutes and overdue. */
  const setUp = async () => {
    const database = await open(join(dir, `h-${counter++}.db`));
    opened.push(database);
    const stores = drizzleStores(database);
    const count = 2 * HEALTH_PAGE + 10;
    const ids: number[] = [];
    for (let i = 0; i < count; i += 50) {
      const created = await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, (_, k) =>
          stores.jobs.create({
            projectId: 1,
            key: `job-${i + k}`,
            name: `job ${i + k}`,
            description: null,
            type: null,
            schedule: (i + k) % 3 === 0 ? null : '*/5 * * * *',
            graceSeconds: 60,
            now: minutes(-60),
          }),
        ),
      );
      ids.push(...created.map((job) => job.id));
    }
    for (const id of ids.filter((_, i) => i % 3 === 0))
      await stores.runs.createForActiveJob({
        jobId: id,
        status: 'RUNNING',
        createdAt: minutes(-30),
        startedAt: minutes(-30),
        metadata: null,
      });
    return { stores, ids };
  };

  it('pages through every job and records each change once; a second tick has nothing to do', async () => {
    const { stores, ids } = await setUp();
    const recorder = new HealthRecorder(stores.jobs, logger);
    const recorded = await recorder.record(NOW);
    expect(recorded.map((t) => t.jobId).sort((a, b) => a - b)).toEqual(ids);
    for (const [i, id] of ids.entries())
      expect(recorded.find((t) => t.jobId === id)).toEqual({
        jobId: id,
        from: 'new',
        // Due every 5 minutes since an hour ago, grace 60 s: down; the ones that ran are up.
        to: i % 3 === 0 ? 'up' : 'down',
      });
    expect(await recorder.record(NOW)).toEqual([]);
    // Only the scheduled jobs are still read each tick (their health moves with time).
    const stillRead = await stores.jobs.listForHealth(0, 3 * HEALTH_PAGE);
    expect(stillRead.map((job) => job.id)).toEqual(ids.filter((_, i) => i % 3 !== 0));
  });

  it('two recorders racing record each change exactly once between them', async () => {
    const { stores, ids } = await setUp();
    const [a, b] = await Promise.all([
      new HealthRecorder(stores.jobs, logger).record(NOW),
      new HealthRecorder(stores.jobs, logger).record(NOW),
    ]);
    expect([...a, ...b].map((t) => t.jobId).sort((x, y) => x - y)).toEqual(ids);
  });
});
