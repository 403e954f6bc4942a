import { describe, expect, it } from 'vitest';
import type { JobRun } from '../../shared/models.js';
import type { Database } from '../../db/database.js';
import { at, lostRunsFixture, SECOND } from './lost-runs-fixture.js';

/**
 * Heartbeats and the sweeper on a real database, with an injected clock (lost-runs-fixture.ts):
 * every time below is given, none is read. Runtime-neutral, so D1 runs it in workerd too.
 */
export function describeLostRunsContract(name: string, open: () => Promise<Database>) {
  describe(`heartbeats and lost runs: ${name}`, () => {
    const fixture = () => lostRunsFixture(open);

    it('fails a RUNNING run once heartbeatTimeoutSeconds passed since its last heartbeat, not at it', async () => {
      const f = await fixture();
      const jobId = await f.job({ heartbeatTimeoutSeconds: 60 });
      const beating = await f.run(jobId);
      const silent = await f.run(jobId);
      expect(await f.runs.recordHeartbeat(beating.id, at(30 * SECOND))).toBe(true);
      const mine = [beating, silent];

      // Exactly at the limit has not passed it; a millisecond later has.
      expect(await f.sweepOf(at(60 * SECOND), mine)).toEqual([]);
      const first = await f.sweepOf(at(60 * SECOND + 1), mine);
      expect(first).toEqual([{ runId: silent.id, jobId, reason: 'heartbeat lost' }]);
      expect(await f.get(silent.id)).toMatchObject({
        status: 'FAILED',
        errorMessage: 'heartbeat lost',
        finishedAt: at(60 * SECOND + 1),
        durationMs: 60 * SECOND + 1,
      });
      expect((await f.get(beating.id)).status).toBe('RUNNING');
      expect(await f.sweepOf(at(90 * SECOND), mine)).toEqual([]);
      expect(await f.sweepOf(at(90 * SECOND + 1), mine)).toEqual([
        { runId: beating.id, jobId, reason: 'heartbeat lost' },
      ]);
      // One info line per swept run, with what a person needs to find it.
      expect(f.lines.filter((l) => l.msg === 'run swept' && l.jobId === jobId)).toEqual([
        expect.objectContaining({
          level: 'info',
          runId: silent.id,
          jobId,
          reason: 'heartbeat lost',
        }),
        expect.objectContaining({ runId: beating.id, jobId, reason: 'heartbeat lost' }),
      ]);
    });

    it('fails a RUNNING run once maxDurationSeconds passed since it started, heartbeats or not', async () => {
      const f = await fixture();
      const jobId = await f.job({ maxDurationSeconds: 120 });
      const run = await f.run(jobId, { startedAt: at(10 * SECOND) });
      await f.runs.recordHeartbeat(run.id, at(129 * SECOND));
      expect(await f.sweepOf(at(130 * SECOND), [run])).toEqual([]);
      expect(await f.sweepOf(at(130 * SECOND + 1), [run])).toEqual([
        { runId: run.id, jobId, reason: 'timed out' },
      ]);
      expect(await f.get(run.id)).toMatchObject({
        status: 'FAILED',
        errorMessage: 'timed out',
        durationMs: 120 * SECOND + 1,
      });
    });

    it('fails a PENDING run once pendingTimeoutSeconds passed since it was created', async () => {
      const f = await fixture();
      const jobId = await f.job({ pendingTimeoutSeconds: 300 });
      const run = await f.run(jobId, { status: 'PENDING', startedAt: null });
      // A PENDING run's heartbeat does not start it: the limit counts from creation.
      expect(await f.runs.recordHeartbeat(run.id, at(299 * SECOND))).toBe(true);
      expect(await f.sweepOf(at(300 * SECOND), [run])).toEqual([]);
      expect(await f.sweepOf(at(300 * SECOND + 1), [run])).toEqual([
        { runId: run.id, jobId, reason: 'never started' },
      ]);
      expect(await f.get(run.id)).toMatchObject({
        status: 'FAILED',
        errorMessage: 'never started',
        startedAt: null,
        finishedAt: at(300 * SECOND + 1),
        durationMs: null,
      });
    });

    it('names the limit that passed first when both a RUNNING run has passed', async () => {
      const f = await fixture();
      const jobId = await f.job({ heartbeatTimeoutSeconds: 60, maxDurationSeconds: 100 });
      const beatLate = await f.run(jobId);
      await f.runs.recordHeartbeat(beatLate.id, at(50 * SECOND)); // heartbeat deadline 110 s
      const neverBeat = await f.run(jobId); // heartbeat deadline 60 s
      const swept = await f.sweepOf(at(500 * SECOND), [beatLate, neverBeat]);
      expect(swept.sort((a, b) => a.runId - b.runId)).toEqual([
        { runId: beatLate.id, jobId, reason: 'timed out' },
        { runId: neverBeat.id, jobId, reason: 'heartbeat lost' },
      ]);
    });

    it('leaves alone the runs of jobs without limits, and runs a limit does not apply to', async () => {
      const f = await fixture();
      const free = await f.job();
      const pendingOnly = await f.job({ pendingTimeoutSeconds: 1 });
      const runningOnly = await f.job({ heartbeatTimeoutSeconds: 1, maxDurationSeconds: 1 });
      const mine = [
        await f.run(free),
        await f.run(free, { status: 'PENDING', startedAt: null }),
        await f.run(pendingOnly), // RUNNING: a pending limit says nothing about it
        await f.run(runningOnly, { status: 'PENDING', startedAt: null }),
      ];
      const yearLater = at(365 * 86_400 * SECOND);
      expect(await f.sweepOf(yearLater, mine)).toEqual([]);
      for (const run of mine) expect(await f.get(run.id)).toEqual({ ...run, output: null });
    });

    it('never overwrites a run that finished first, nor fails a run twice (idempotent)', async () => {
      const f = await fixture();
      const jobId = await f.job({ heartbeatTimeoutSeconds: 10 });
      const finished = await f.run(jobId);
      const lost = await f.run(jobId);
      const done = await f.runs.updateIf(
        finished.id,
        { statuses: ['RUNNING'], startedAt: finished.startedAt },
        { status: 'SUCCESS', finishedAt: at(11 * SECOND) },
      );
      expect(done?.status).toBe('SUCCESS');
      const now = at(60 * SECOND);
      expect(await f.sweepOf(now, [finished, lost])).toEqual([
        { runId: lost.id, jobId, reason: 'heartbeat lost' },
      ]);
      const after = [await f.get(finished.id), await f.get(lost.id)];
      expect(after[0]).toEqual(done);
      // The second sweep, as of the same or a later time, finds nothing left to do.
      expect(await f.sweepOf(now, [finished, lost])).toEqual([]);
      expect(await f.sweepOf(at(3600 * SECOND), [finished, lost])).toEqual([]);
      expect([await f.get(finished.id), await f.get(lost.id)]).toEqual(after);
      expect(await f.metrics(jobId)).toEqual({ failed: 1, running: 0 });
    });

    it('a sweep racing the runs finishing: each run ends once, swept or finished, never both', async () => {
      const f = await fixture();
      const jobId = await f.job({ heartbeatTimeoutSeconds: 10 });
      const mine: JobRun[] = [];
      for (let i = 0; i < 30; i++) mine.push(await f.run(jobId));
      const [swept, ...finishes] = await Promise.all([
        f.sweepOf(at(60 * SECOND), mine, 4),
        ...mine.map((run) =>
          f.runs.updateIf(
            run.id,
            { statuses: ['RUNNING'], startedAt: run.startedAt },
            { status: 'SUCCESS', finishedAt: at(60 * SECOND) },
          ),
        ),
      ]);
      const sweptIds = new Set(swept.map((r) => r.runId));
      expect(sweptIds.size).toBe(swept.length);
      for (const [i, run] of mine.entries()) {
        const stored = await f.get(run.id);
        if (sweptIds.has(run.id)) {
          expect(finishes[i], `run ${run.id}`).toBeNull();
          expect(stored).toMatchObject({ status: 'FAILED', errorMessage: 'heartbeat lost' });
        } else {
          expect(finishes[i], `run ${run.id}`).toEqual(stored);
          expect(stored.status).toBe('SUCCESS');
        }
      }
      // The triggers counted each failure once: what the sweep says it failed, no more.
      expect(await f.metrics(jobId)).toEqual({ failed: swept.length, running: 0 });
    });

    it('sweeps in batches until one comes back short, each run once', async () => {
      const f = await fixture();
      const jobId = await f.job({ pendingTimeoutSeconds: 5 });
      const mine: JobRun[] = [];
      for (let i = 0; i < 7; i++)
        mine.push(await f.run(jobId, { status: 'PENDING', startedAt: null }));
      const swept = await f.sweepOf(at(6 * SECOND), mine, 3);
      expect(swept.map((r) => r.runId).sort((a, b) => a - b)).toEqual(mine.map((r) => r.id));
      expect(await f.metrics(jobId)).toEqual({ failed: 7, running: 0 });
    });

    it('writes a heartbeat at most once per interval: 5 s, or a quarter of a short timeout', async () => {
      const f = await fixture();
      const plain = await f.run(await f.job());
      expect(await f.runs.recordHeartbeat(plain.id, at(1000))).toBe(true);
      expect(await f.runs.recordHeartbeat(plain.id, at(5999))).toBe(false);
      expect((await f.get(plain.id)).lastHeartbeatAt).toEqual(at(1000));
      expect(await f.runs.recordHeartbeat(plain.id, at(6000))).toBe(true);
      expect((await f.get(plain.id)).lastHeartbeatAt).toEqual(at(6000));

      // A 2-second timeout writes every 500 ms, so a run beating twice a second is never lost.
      const short = await f.run(await f.job({ heartbeatTimeoutSeconds: 2 }));
      expect(await f.runs.recordHeartbeat(short.id, at(1000))).toBe(true);
      expect(await f.runs.recordHeartbeat(short.id, at(1499))).toBe(false);
      expect(await f.runs.recordHeartbeat(short.id, at(1500))).toBe(true);
    });

    it('writes no heartbeat on a finished, missing or other project run', async () => {
      const f = await fixture();
      const jobId = await f.job();
      const run = await f.run(jobId);
      expect(await f.runs.recordHeartbeat(run.id, at(1000), 2)).toBe(false);
      expect(await f.runs.recordHeartbeat(run.id, at(1000), 1)).toBe(true);
      await f.runs.updateIf(
        run.id,
        { statuses: ['RUNNING'], startedAt: run.startedAt },
        { status: 'CANCELLED', finishedAt: at(2000) },
      );
      expect(await f.runs.recordHeartbeat(run.id, at(60_000))).toBe(false);
      expect((await f.get(run.id)).lastHeartbeatAt).toEqual(at(1000));
      expect(await f.runs.recordHeartbeat(999_999_999, at(60_000))).toBe(false);
    });
  });
}
