import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';
import { client, type Client } from '../../../test/support/client.js';
import { expectProblem } from '../../../test/api/expect-problem.js';

describeOnEveryDriver((getHarness) => {
  describe('concurrent transitions', () => {
    let api: Client;
    let jobId: number;
    beforeAll(async () => {
      api = client(getHarness().target);
      jobId = (await api.job('Races suite')).id;
    });

    it('a burst of PATCHes to SUCCESS and FAILED on one RUNNING run has exactly one winner', async () => {
      for (let round = 0; round < 5; round++) {
        const run = await api.run(jobId, { status: 'RUNNING' });
        const results = await Promise.all(
          Array.from({ length: 16 }, (_, i) =>
            api.patch(
              `/api/runs/${run.id}`,
              i % 2 ? { status: 'SUCCESS' } : { status: 'FAILED', errorMessage: `attempt ${i}` },
            ),
          ),
        );
        const winners = results.filter((r) => r.status === 200);
        expect(winners, results.map((r) => r.status).join(',')).toHaveLength(1);
        for (const loser of results.filter((r) => r.status !== 200)) expectProblem(loser, 409);
        const stored = await api.get(`/api/runs/${run.id}`);
        expect(stored.body).toEqual(winners[0]!.body);
      }
    });

    it('a PENDING run raced to RUNNING and CANCELLED: one winner of each kind at most, never RUNNING after CANCELLED', async () => {
      const run = await api.run(jobId);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api.patch(`/api/runs/${run.id}`, { status: i % 2 ? 'RUNNING' : 'CANCELLED' }),
        ),
      );
      // Each transition is a compare-and-set: of the RUNNING requests at most one wins, and of the
      // CANCELLED ones at most one, from PENDING or (a request that read after RUNNING won, a legal
      // RUNNING -> CANCELLED) from RUNNING. So one winner, or RUNNING then CANCELLED; never two of a
      // kind, never RUNNING after CANCELLED.
      const winners = results.filter((r) => r.status === 200);
      const won = (status: string) =>
        winners.filter((r) => (r.body as { status: string }).status === status);
      expect(won('RUNNING').length).toBeLessThanOrEqual(1);
      expect(won('CANCELLED').length).toBeLessThanOrEqual(1);
      expect(winners.length).toBeGreaterThanOrEqual(1);
      for (const loser of results.filter((r) => r.status !== 200)) expectProblem(loser, 409);
      const last = won('CANCELLED')[0] ?? won('RUNNING')[0]!;
      expect((await api.get(`/api/runs/${run.id}`)).body).toEqual(last.body);
      if (winners.length === 2) {
        // The cancel came after the start: the run was started when it was cancelled.
        const started = (won('RUNNING')[0]!.body as { startedAt: string }).startedAt;
        expect((last.body as { startedAt: string | null }).startedAt).toBe(started);
      }
    });
  });
});
