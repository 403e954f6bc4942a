import { beforeAll, describe, expect, it } from 'vitest';
import { client, type ApiTarget, type Client } from '../client.js';
import { expectProblem } from './expect-problem.js';

export function racesSuite(getTarget: () => ApiTarget) {
  describe('concurrent transitions', () => {
    let api: Client;
    let jobId: number;
    beforeAll(async () => {
      api = client(getTarget());
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

    it('a PENDING run raced to RUNNING and CANCELLED ends in exactly one of them', async () => {
      const run = await api.run(jobId);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api.patch(`/api/runs/${run.id}`, { status: i % 2 ? 'RUNNING' : 'CANCELLED' }),
        ),
      );
      const winners = results.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(9);
      expect((await api.get(`/api/runs/${run.id}`)).body).toEqual(winners[0]!.body);
    });
  });
}
