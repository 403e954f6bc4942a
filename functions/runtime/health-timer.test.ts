import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { createJsonLogger } from '../../shared/logger.js';
import { requestTarget } from '../../test/support/apps.js';
import { client } from '../../test/support/client.js';
import { testRuntime } from '../../test/support/runtime.js';

/**
 * Health on time (issue 24, point 5), with an injected clock: the runtime as Node wires it
 * (`healthTimer: true`) over real SQLite, its timer faked with the clock. The sweep runs once, as
 * at startup; after that only the timer and the writes may record anything, so every change
 * below is on time by the timer alone, never by a 30-second backstop.
 */
const T0 = new Date('2026-03-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('the health timer', () => {
  beforeEach(() => {
    // Only the clock and setTimeout: better-sqlite3's group commit keeps its real setImmediate.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  const setUp = async () => {
    const database = openBetterSqlite(':memory:');
    const runtime = testRuntime(database, createJsonLogger({ silent: true }), {
      healthTimer: true,
    });
    const api = client(requestTarget(runtime.app));
    const timer = runtime.healthTimer!;
    /** Moves the clock to `when` and waits for the pass it started, if any. */
    const advanceTo = async (when: Date) => {
      await vi.advanceTimersByTimeAsync(when.getTime() - Date.now());
      await timer.idle();
    };
    const recorded = async (id: number) => {
      const job = await runtime.stores.jobs.findById(id);
      return { health: job!.recordedHealth, at: job!.healthChangedAt };
    };
    const events = () =>
      (
        database.sqlite
          .prepare('SELECT type, created_at AS at FROM webhook_events ORDER BY id')
          .all() as Array<{ type: string; at: number }>
      ).map((e) => [e.type, new Date(e.at).toISOString()]);
    database.sqlite
      .prepare(
        `INSERT INTO webhooks (url, events, secret, created_at, updated_at) VALUES ('https://example.com/', '["job.late","job.down"]', 's', 0, 0)`,
      )
      .run();
    return { runtime, api, timer, advanceTo, recorded, events, close: () => database.close() };
  };

  it('records late and down at their deadlines, not a sweep later, and job.late then job.down', async () => {
    const { runtime, api, timer, advanceTo, recorded, events, close } = await setUp();
    // Every minute, grace 20 s (the case): expected 12:01:00, late 12:01:20, down 12:01:40.
    const job = await api.post('/api/jobs', {
      name: 'minutely',
      schedule: '* * * * *',
      graceSeconds: 20,
    });
    expect(job.status).toBe(201);
    const id = job.body.id as number;
    await runtime.maintenance.tick(new Date()); // the sweep's first tick, at startup
    expect(timer.nextDeadline).toEqual(at(80));

    await advanceTo(new Date(at(80).getTime() - 1));
    expect(await recorded(id)).toEqual({ health: 'new', at: T0 });
    await advanceTo(at(80));
    expect(await recorded(id)).toEqual({ health: 'late', at: at(80) });
    expect(timer.nextDeadline).toEqual(at(100));

    await advanceTo(at(100));
    expect(await recorded(id)).toEqual({ health: 'down', at: at(100) });
    expect(timer.nextDeadline).toBeNull(); // down: time changes nothing more
    expect(events()).toEqual([
      ['job.late', at(80).toISOString()],
      ['job.down', at(100).toISOString()],
    ]);
    await timer.stop();
    close();
  });

  it('re-arms after writes: a job created, then a grace shortened, moves the deadline earlier', async () => {
    const { runtime, api, timer, advanceTo, recorded, close } = await setUp();
    await runtime.maintenance.tick(new Date());
    expect(timer.nextDeadline).toBeNull(); // no job yet

    const job = await api.post('/api/jobs', {
      name: 'later',
      schedule: '* * * * *',
      graceSeconds: 300,
    });
    const id = job.body.id as number;
    await timer.idle(); // the write's probe
    expect(timer.nextDeadline).toEqual(at(60 + 300));

    await advanceTo(at(10));
    expect((await api.patch(`/api/jobs/${id}`, { graceSeconds: 5 })).status).toBe(200);
    await timer.idle();
    expect(timer.nextDeadline).toEqual(at(65));

    await advanceTo(at(65));
    expect(await recorded(id)).toEqual({ health: 'late', at: at(65) });
    await advanceTo(at(70));
    expect(await recorded(id)).toEqual({ health: 'down', at: at(70) });
    await timer.stop();
    close();
  });

  it('a run recorded moves the deadline later: the early wake-up records nothing and plans the next', async () => {
    const { runtime, api, timer, advanceTo, recorded, events, close } = await setUp();
    const job = await api.post('/api/jobs', {
      name: 'on time',
      schedule: '* * * * *',
      graceSeconds: 20,
    });
    const id = job.body.id as number;
    await runtime.maintenance.tick(new Date());
    await advanceTo(at(61));
    expect((await api.post(`/api/jobs/${id}/runs`, { status: 'RUNNING' })).status).toBe(201);
    await advanceTo(at(80)); // the old late deadline: the run came in time
    expect((await recorded(id)).health).toBe('up');
    expect(timer.nextDeadline).toEqual(at(120 + 20));
    expect(events()).toEqual([]);
    await timer.stop();
    close();
  });
});
