import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { drizzleStores } from '../../db/stores.js';
import { testRuntime } from '../../test/support/runtime.js';
import { createJsonLogger } from '../logger.js';
import { JobSummaryCache } from './job-summary-cache.js';
import { JobSummaryService } from './job-summary-service.js';

const T0 = new Date('2026-01-01T00:00:00.000Z').getTime();
const ALL_PROJECTS = null;
const WINDOWS = ['30m', '24h', '7d'] as const;

/** A write to the runs, a move of the clock, or a read of the jobs page through both services. */
type Step =
  | { kind: 'create'; job: number; running: boolean }
  | { kind: 'finish'; pick: number; status: 'SUCCESS' | 'FAILED' | 'CANCELLED' }
  | { kind: 'heartbeat'; pick: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'read'; window: (typeof WINDOWS)[number] };

const MINUTE = 60_000;

/** Reads and clock moves weigh most: a stale answer shows when a read follows a quiet move. */
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      job: fc.nat(1),
      running: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('finish' as const),
      pick: fc.nat(),
      status: fc.constantFrom('SUCCESS' as const, 'FAILED' as const, 'CANCELLED' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('heartbeat' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      // A few milliseconds either way (runs sharing an instant with a window's end, a clock set
      // back), a window's length give or take a minute (one run leaving), or up to eight days.
      ms: fc.oneof(
        fc.integer({ min: -3, max: 5 }),
        fc
          .constantFrom(30 * MINUTE, 24 * 60 * MINUTE, 7 * 1440 * MINUTE)
          .chain((w) => fc.integer({ min: w - MINUTE, max: w + MINUTE })),
        fc.integer({ min: 1, max: 8 * 1440 * MINUTE }),
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      window: fc.constantFrom(...WINDOWS),
    }),
  },
);

describe('JobSummaryCache', () => {
  it('answers every page exactly as reading the runs does, over random writes and clocks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 20, maxLength: 60 }), async (steps) => {
        let now = T0;
        const database = openBetterSqlite(':memory:');
        const { services } = testRuntime(database, createJsonLogger({ silent: true }), {
          now: () => new Date(now),
        });
        const stores = drizzleStores(database);
        const uncached = () =>
          new JobSummaryService(
            services.jobs,
            stores.summaries,
            () => new Date(now),
            new JobSummaryCache(),
          );
        const jobIds: number[] = [];
        for (const name of ['a', 'b', 'c'])
          jobIds.push((await services.jobs.create({ name }, ALL_PROJECTS)).id);
        const runIds: number[] = [];
        const pick = (n: number) => runIds[n % runIds.length]!;
        try {
          for (const s of steps) {
            if (s.kind === 'create') {
              const status = s.running ? 'RUNNING' : 'PENDING';
              runIds.push(
                (await services.runs.create(jobIds[s.job]!, { status }, ALL_PROJECTS)).id,
              );
            } else if (s.kind === 'advance') now += s.ms;
            else if (s.kind === 'read') {
              const params = { window: s.window, limit: 10 };
              const cached = await services.jobSummaries.list(params, ALL_PROJECTS);
              const read = await uncached().list(params, ALL_PROJECTS);
              expect(JSON.stringify(cached)).toBe(JSON.stringify(read));
            } else if (runIds.length > 0) {
              const id = pick(s.pick);
              if (s.kind === 'finish')
                await services.runs
                  .update(id, { status: s.status }, ALL_PROJECTS)
                  .catch(() => undefined); // already finished: a 409, nothing changed
              else if (s.kind === 'heartbeat')
                await services.runs.heartbeat(id, ALL_PROJECTS).catch(() => undefined);
              else {
                database.sqlite.prepare('DELETE FROM job_runs WHERE id = ?').run(id);
                runIds.splice(runIds.indexOf(id), 1);
              }
            }
          }
        } finally {
          await database.close();
        }
      }),
      { numRuns: 120 },
    );
  });

  it('keeps at most its capacity, the least recently used leaving first', () => {
    const cache = new JobSummaryCache(2);
    const freshness = { runChanges: 1, firstCreatedAtOrAfter: null };
    const [from, to] = [new Date(T0), new Date(T0 + 60_000)];
    const parts = { recentRuns: [], window: undefined };
    cache.set(1, from, to, freshness, parts);
    cache.set(2, from, to, freshness, parts);
    expect(cache.get(1, from, to, freshness)).toBeDefined();
    cache.set(3, from, to, freshness, parts);
    expect(cache.size).toBe(2);
    expect(cache.get(2, from, to, freshness)).toBeUndefined();
    expect(cache.get(1, from, to, freshness)).toBeDefined();
    expect(cache.get(3, from, to, freshness)).toBeDefined();
  });
});
