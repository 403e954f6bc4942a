import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { DrizzleRunSweepRepository } from '../../db/run-sweeps.js';
import { drizzleStores } from '../../db/stores.js';
import { createJsonLogger } from '../../shared/logger.js';
import { RunSweeper } from '../../shared/services/index.js';
import { startSweeping } from './node-sweeps.js';

const until = async (condition: () => boolean | Promise<boolean>, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the Node sweep loop (SWEEP_INTERVAL_SECONDS)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-sweep-loop-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const setUp = async (file: string) => {
    const database = openBetterSqlite(join(dir, file));
    const stores = drizzleStores(database);
    const lines: Array<Record<string, unknown>> = [];
    const logger = createJsonLogger({ write: (line) => lines.push(JSON.parse(line)) });
    const sweeper = new RunSweeper(new DrizzleRunSweepRepository(database), logger);
    const job = await stores.jobs.create({
      projectId: 1,
      key: 'looped',
      name: 'looped',
      description: null,
      type: null,
      now: new Date(),
      pendingTimeoutSeconds: 1,
    });
    const pendingRun = (createdAt: Date) =>
      stores.runs.createForActiveJob({
        jobId: job.id,
        status: 'PENDING',
        createdAt,
        startedAt: null,
        metadata: null,
      });
    return { database, stores, lines, logger, sweeper, pendingRun };
  };

  it('sweeps at once, then again every interval', async () => {
    const { database, stores, lines, logger, sweeper, pendingRun } = await setUp('loop.db');
    const old = await pendingRun(new Date(Date.now() - 60_000));
    const loop = startSweeping(() => sweeper.sweep(), 50, logger);
    try {
      await until(async () => (await stores.runs.findById(old!.id))?.status === 'FAILED');
      const fresh = await pendingRun(new Date());
      await until(async () => (await stores.runs.findById(fresh!.id))?.status === 'FAILED');
      expect(lines.filter((l) => l.msg === 'run swept').map((l) => l.runId)).toEqual([
        old!.id,
        fresh!.id,
      ]);
    } finally {
      await loop.stop();
      await database.close();
    }
  });

  it('logs a failing sweep and keeps going; stop waits for the sweep under way', async () => {
    const { database, lines, logger, sweeper } = await setUp('failing.db');
    await database.close(); // every sweep now throws: the database is gone
    let ticks = 0;
    let inFlight = false;
    const loop = startSweeping(
      async () => {
        ticks++;
        inFlight = true;
        await new Promise((r) => setTimeout(r, 30));
        inFlight = false;
        await sweeper.sweep();
      },
      10,
      logger,
    );
    await until(() => lines.filter((l) => l.msg === 'sweep failed').length >= 3);
    expect(lines.find((l) => l.msg === 'sweep failed')).toMatchObject({
      level: 'error',
      error: expect.stringMatching(/database connection is not open/),
    });
    await until(() => inFlight);
    await loop.stop();
    expect(inFlight).toBe(false);
    const stoppedAt = ticks;
    await new Promise((r) => setTimeout(r, 100));
    expect(ticks).toBe(stoppedAt);
  });
});
