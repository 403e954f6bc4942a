import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../../../test/support/client.js';
import { describeOnEveryDriver, type ApiHarness } from '../../../test/api/every-driver.js';

const SECOND = 1000;

/**
 * The run `slow` flag (over 3x the job's p95 of its last 50 finished runs, from 10 of them on)
 * and its run.slow event, on every runtime: set by the UPDATE that finishes a run, and by the
 * sweep for a run still RUNNING past the threshold; queued once in the webhook outbox.
 */
describeOnEveryDriver((getHarness) => {
  describe('slow runs', () => {
    let api: Client;
    let harness: ApiHarness;
    let jobId: number;
    let webhookId: number;

    beforeAll(async () => {
      harness = getHarness();
      api = client(harness.target);
      jobId = (await api.job('Slow runs')).id;
      const hook = await api.post('/api/webhooks', {
        url: 'https://hooks.example.com/slow',
        events: ['run.slow'],
        jobId,
      });
      expect(hook.status, hook.text).toBe(201);
      webhookId = hook.body.id;
    });
    afterAll(async () => {
      await api.delete(`/api/webhooks/${webhookId}`);
    });

    /** A run that took `seconds`, reported as a cron wrapper would: start, then finish. */
    async function finished(seconds: number, status: 'SUCCESS' | 'FAILED' = 'SUCCESS') {
      const run = await api.run(jobId, { status: 'RUNNING' });
      const startedAt = new Date(Date.parse(run.startedAt!) - seconds * SECOND);
      const moved = await api.patch(`/api/runs/${run.id}`, { startedAt: startedAt.toISOString() });
      expect(moved.status, moved.text).toBe(200);
      expect(moved.body.slow).toBe(false);
      const res = await api.patch(`/api/runs/${run.id}`, { status, finishedAt: run.startedAt });
      expect(res.status, res.text).toBe(200);
      expect(res.body.durationMs).toBe(seconds * SECOND);
      return res.body as { id: number; slow: boolean };
    }

    const slowEvents = async () => {
      const res = await api.get(`/api/webhooks/${webhookId}/deliveries`);
      expect(res.status, res.text).toBe(200);
      return (
        res.body.data as Array<{
          eventType: string;
          status: string;
          attempts: number;
          log: Array<{ responseStatus: number | null; error: string | null }>;
        }>
      ).filter((d) => d.eventType === 'run.slow');
    };

    it('first runs are never slow; then over 3x the nearest-rank p95 is, with one run.slow event', async () => {
      // Fewer than 10 finished runs before them: not slow, however long.
      expect((await finished(10)).slow).toBe(false);
      expect((await finished(10)).slow).toBe(false);
      for (let i = 0; i < 18; i++) expect((await finished(1)).slow).toBe(false);
      expect(await slowEvents()).toEqual([]);
      // 20 runs: 18 x 1 s and 2 x 10 s. p95 by nearest rank is the 19th smallest (ceil(0.95 x 20)),
      // 10 s, so the threshold is 30 s: 29 s is not slow.
      expect((await finished(29)).slow).toBe(false);
      // 21 runs: rank ceil(19.95) = 20, still 10 s (the max, 29 s, would make it 87 s): 31 s is slow.
      const slow = await finished(31, 'FAILED');
      expect(slow.slow).toBe(true);
      expect((await api.get(`/api/runs/${slow.id}`)).body.slow).toBe(true);
      const page = await api.get(`/api/jobs/${jobId}/runs?limit=50`);
      expect(page.body.data.filter((r: { slow: boolean }) => r.slow)).toEqual([
        expect.objectContaining({ id: slow.id, slow: true }),
      ]);
      const events = await slowEvents();
      expect(events).toHaveLength(1);
      // Queued; the Worker dispatches right after the write (waitUntil) and may have tried once
      // already, answered 502 by the Workers tests' offline network (vitest.config.mts).
      expect(events[0]).toMatchObject({ status: 'pending' });
      expect(events[0]!.attempts).toBeLessThanOrEqual(1);
      for (const attempt of events[0]!.log)
        expect(attempt).toMatchObject({ responseStatus: 502, error: 'HTTP 502' });
    });

    it('the sweep flags a run still RUNNING past the threshold, once; finishing keeps it slow', async () => {
      const sweeps = harness.stores().runSweeps;
      // 22 runs now: rank ceil(20.9) = 21 of 18 x 1, 2 x 10, 29, 31 is 29 s: threshold 87 s.
      const run = await api.run(jobId, { status: 'RUNNING' });
      const started = Date.parse(run.startedAt!);
      const flaggedAt = async (ms: number) =>
        (await sweeps.flagSlowRuns(new Date(started + ms), 500)).filter((r) => r.runId === run.id);
      expect(await flaggedAt(87 * SECOND)).toEqual([]);
      expect((await api.get(`/api/runs/${run.id}`)).body.slow).toBe(false);
      expect(await flaggedAt(88 * SECOND)).toEqual([{ runId: run.id, jobId }]);
      expect(await flaggedAt(120 * SECOND)).toEqual([]);
      const read = await api.get(`/api/runs/${run.id}`);
      expect(read.body).toMatchObject({ status: 'RUNNING', slow: true });
      expect(await slowEvents()).toHaveLength(2);
      // Finishing it keeps the flag (it did take that long), and run.slow is not sent again.
      const done = await api.patch(`/api/runs/${run.id}`, { status: 'SUCCESS' });
      expect(done.status, done.text).toBe(200);
      expect(done.body.slow).toBe(true);
      expect(await slowEvents()).toHaveLength(2);
    });

    it('a run cancelled before it started has no duration and is not slow', async () => {
      const pending = await api.run(jobId);
      const cancelled = await api.patch(`/api/runs/${pending.id}`, { status: 'CANCELLED' });
      expect(cancelled.status, cancelled.text).toBe(200);
      expect(cancelled.body).toMatchObject({ durationMs: null, slow: false });
    });
  });
});
