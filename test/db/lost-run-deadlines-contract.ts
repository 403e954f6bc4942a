import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { at, lostRunsFixture, SECOND } from './lost-runs-fixture.js';

const MINUTE = 60 * SECOND;
const byId = (a: { runId: number }, b: { runId: number }) => a.runId - b.runId;

/**
 * The edges of the sweep's candidate range (db/run-sweeps.ts): it reads only the runs of a job
 * with a limit created before `now - limit` (PENDING: the pending limit; RUNNING: the smaller of
 * max duration and heartbeat timeout), then applies the exact rules to those. Each test puts a
 * run where the range and the rules could disagree. Runtime-neutral, so D1 runs it too.
 */
export function describeLostRunDeadlinesContract(name: string, open: () => Promise<Database>) {
  describe(`lost runs at the edges of the candidate range: ${name}`, () => {
    const fixture = () => lostRunsFixture(open);

    it('a run created exactly `limit` before now is not lost; a millisecond older is', async () => {
      const f = await fixture();
      // RUNNING: the smaller limit (heartbeat 60 s) bounds the range, the larger passes later.
      const running = await f.job({ heartbeatTimeoutSeconds: 60, maxDurationSeconds: 90 });
      const silent = await f.run(running, { createdAt: at(MINUTE), startedAt: at(MINUTE) });
      const pendingJob = await f.job({ pendingTimeoutSeconds: 30 });
      const waiting = await f.run(pendingJob, {
        status: 'PENDING',
        createdAt: at(MINUTE + 30 * SECOND),
        startedAt: null,
      });
      const mine = [silent, waiting];

      expect(await f.sweepOf(at(2 * MINUTE), mine)).toEqual([]);
      expect((await f.sweepOf(at(2 * MINUTE + 1), mine)).sort(byId)).toEqual([
        { runId: silent.id, jobId: running, reason: 'heartbeat lost' },
        { runId: waiting.id, jobId: pendingJob, reason: 'never started' },
      ]);
    });

    it('an old run that heartbeats is read and kept; it is lost a timeout after its last heartbeat', async () => {
      const f = await fixture();
      const jobId = await f.job({ heartbeatTimeoutSeconds: 60 });
      const run = await f.run(jobId);
      const hour = 60 * MINUTE;
      expect(await f.runs.recordHeartbeat(run.id, at(hour))).toBe(true);

      expect(await f.sweepOf(at(hour + MINUTE), [run])).toEqual([]);
      expect((await f.get(run.id)).status).toBe('RUNNING');
      expect(await f.sweepOf(at(hour + MINUTE + 1), [run])).toEqual([
        { runId: run.id, jobId, reason: 'heartbeat lost' },
      ]);
    });

    it('a run started long after it was created counts its max duration from the start', async () => {
      const f = await fixture();
      const jobId = await f.job({ maxDurationSeconds: 120, pendingTimeoutSeconds: 7200 });
      const queued = await f.run(jobId, { status: 'PENDING', startedAt: null });
      const hour = 60 * MINUTE;
      const started = await f.runs.updateIf(
        queued.id,
        { statuses: ['PENDING'], startedAt: null },
        { status: 'RUNNING', startedAt: at(hour) },
      );
      expect(started?.status).toBe('RUNNING');

      expect(await f.sweepOf(at(hour + 2 * MINUTE), [queued])).toEqual([]);
      expect(await f.sweepOf(at(hour + 2 * MINUTE + 1), [queued])).toEqual([
        { runId: queued.id, jobId, reason: 'timed out' },
      ]);
    });

    it('PENDING and RUNNING runs of one job are held to their own limits', async () => {
      const f = await fixture();
      // A long pending limit beside a short heartbeat timeout, and the other way round.
      const slowToStart = await f.job({ pendingTimeoutSeconds: 300, heartbeatTimeoutSeconds: 60 });
      const quickToStart = await f.job({ pendingTimeoutSeconds: 10, maxDurationSeconds: 600 });
      const pendingLong = await f.run(slowToStart, { status: 'PENDING', startedAt: null });
      const runningShort = await f.run(slowToStart);
      const pendingShort = await f.run(quickToStart, { status: 'PENDING', startedAt: null });
      const runningLong = await f.run(quickToStart);
      const mine = [pendingLong, runningShort, pendingShort, runningLong];

      expect((await f.sweepOf(at(61 * SECOND), mine)).sort(byId)).toEqual([
        { runId: runningShort.id, jobId: slowToStart, reason: 'heartbeat lost' },
        { runId: pendingShort.id, jobId: quickToStart, reason: 'never started' },
      ]);
      expect(await f.sweepOf(at(300 * SECOND), mine)).toEqual([]);
      expect(await f.sweepOf(at(300 * SECOND + 1), mine)).toEqual([
        { runId: pendingLong.id, jobId: slowToStart, reason: 'never started' },
      ]);
      expect(await f.sweepOf(at(600 * SECOND), mine)).toEqual([]);
      expect(await f.sweepOf(at(600 * SECOND + 1), mine)).toEqual([
        { runId: runningLong.id, jobId: quickToStart, reason: 'timed out' },
      ]);
    });

    it("a job's changed limits apply to its open runs at the next sweep", async () => {
      const f = await fixture();
      const lowered = await f.job({ heartbeatTimeoutSeconds: 3600 });
      const cleared = await f.job({ pendingTimeoutSeconds: 3600 });
      const running = await f.run(lowered);
      const pending = await f.run(cleared, { status: 'PENDING', startedAt: null });
      const mine = [running, pending];
      expect(await f.sweepOf(at(2 * MINUTE), mine)).toEqual([]);

      await f.jobs.update(lowered, { heartbeatTimeoutSeconds: 60, updatedAt: at(2 * MINUTE) });
      await f.jobs.update(cleared, { pendingTimeoutSeconds: null, updatedAt: at(2 * MINUTE) });
      expect(await f.sweepOf(at(2 * MINUTE), mine)).toEqual([
        { runId: running.id, jobId: lowered, reason: 'heartbeat lost' },
      ]);
      expect(await f.sweepOf(at(365 * 86_400 * SECOND), mine)).toEqual([]);
      expect((await f.get(pending.id)).status).toBe('PENDING');
    });

    it('a RUNNING run given a startedAt before its creation is seen from created + limit', async () => {
      // The range trades this for its cost: a client may PATCH a RUNNING run's startedAt into
      // the past, and its deadline then falls before created + limit. It is failed (with the
      // reason its start gives) once created + limit has passed, late by at most the difference.
      const f = await fixture();
      const jobId = await f.job({ maxDurationSeconds: 120 });
      const run = await f.run(jobId, { createdAt: at(10 * MINUTE), startedAt: at(10 * MINUTE) });
      await f.runs.updateIf(
        run.id,
        { statuses: ['RUNNING'], startedAt: run.startedAt },
        { startedAt: at(0) },
      );
      expect(await f.sweepOf(at(12 * MINUTE), [run])).toEqual([]);
      expect(await f.sweepOf(at(12 * MINUTE + 1), [run])).toEqual([
        { runId: run.id, jobId, reason: 'timed out' },
      ]);
    });
  });
}
