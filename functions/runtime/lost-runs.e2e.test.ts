import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import {
  callAsAdmin as call,
  startNodeServer,
  stopNodeServer as stop,
  type NodeServer,
} from '../../test/support/node-process.js';

const headers = { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The `run swept` lines a server has logged so far. */
const sweptLines = (server: NodeServer) =>
  server
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"run swept"'))
    .map((line) => JSON.parse(line) as { runId: number; jobId: number; reason: string });

/** The sweeper on the real Node server, in real time: SWEEP_INTERVAL_SECONDS=1. */
describe('lost runs on the Node server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-lost-runs-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const env = (file: string) => ({
    DATABASE_FILE: join(dir, file),
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    SWEEP_INTERVAL_SECONDS: '1',
    RATE_LIMIT_PER_MINUTE: '0',
    NODE_ENV: 'test',
  });

  /** A job with these limits, created through the API as a user would. */
  const jobWithLimits = async (server: NodeServer, limits: Record<string, number>) => {
    const job = await call(server, 'POST', '/api/jobs', { name: 'limited', ...limits });
    expect(job.status).toBe(201);
    expect(job.body).toMatchObject(limits);
    return job.body.id as number;
  };

  it('a run that stops heartbeating fails "heartbeat lost" within seconds; one that beats stays RUNNING', async () => {
    const server = await startNodeServer(env('realtime.db'));
    try {
      const jobId = await jobWithLimits(server, { heartbeatTimeoutSeconds: 2 });
      const kept = (await call(server, 'POST', `/api/jobs/${jobId}/runs`, { status: 'RUNNING' }))
        .body;
      const lost = (await call(server, 'POST', `/api/jobs/${jobId}/runs`, { status: 'RUNNING' }))
        .body;
      const started = Date.now();
      let beating = true;
      const beats: number[] = [];
      const beater = (async () => {
        while (beating) {
          beats.push((await call(server, 'POST', `/api/runs/${kept.id}/heartbeat`)).status);
          await sleep(250);
        }
      })();

      let failedAfter: number | undefined;
      while (Date.now() - started < 10_000) {
        const run = (await call(server, 'GET', `/api/runs/${lost.id}`)).body;
        if (run.status !== 'RUNNING') {
          failedAfter = Date.now() - started;
          expect(run).toMatchObject({ status: 'FAILED', errorMessage: 'heartbeat lost' });
          break;
        }
        await sleep(100);
      }
      // The 2 s limit, then at most a 1 s interval and a little scheduling.
      expect(failedAfter).toBeGreaterThanOrEqual(2000);
      expect(failedAfter).toBeLessThan(5000);
      // Beating through several more sweeps keeps the other run alive.
      await sleep(3000);
      expect((await call(server, 'GET', `/api/runs/${kept.id}`)).body.status).toBe('RUNNING');
      beating = false;
      await beater;
      expect(new Set(beats)).toEqual(new Set([204]));
      // Once it stops, it is lost too, and its wrapper's next heartbeat learns it.
      await sleep(4000);
      expect((await call(server, 'GET', `/api/runs/${kept.id}`)).body).toMatchObject({
        status: 'FAILED',
        errorMessage: 'heartbeat lost',
      });
      expect((await call(server, 'POST', `/api/runs/${kept.id}/heartbeat`)).status).toBe(409);
      await stop(server); // every queued log line written
      expect(sweptLines(server)).toEqual([
        expect.objectContaining({ runId: lost.id, jobId, reason: 'heartbeat lost' }),
        expect.objectContaining({ runId: kept.id, jobId, reason: 'heartbeat lost' }),
      ]);
    } finally {
      await stop(server);
    }
  }, 30_000);

  it('two processes sweeping one SQLite file never fail a run twice', async () => {
    const a = await startNodeServer(env('shared.db'));
    const b = await startNodeServer(env('shared.db'));
    try {
      const jobId = await jobWithLimits(a, { pendingTimeoutSeconds: 1 });
      // For 3 s at least, runs are created on both servers; each becomes lost a second later,
      // and both processes, ticking at their own phase, race to sweep them. Which one wins a run
      // depends on how far apart their ticks fall, and with ticks nearly together one of them can
      // win none for a while (it did, once, under CI's load); their phases drift, so creation
      // goes on until each has swept some, for at most 20 s.
      const created: number[] = [];
      const swept = (server: NodeServer) => sweptLines(server).some((line) => line.jobId === jobId);
      const atLeast = Date.now() + 3000;
      const atMost = Date.now() + 20_000;
      while (Date.now() < atLeast || (Date.now() < atMost && !(swept(a) && swept(b)))) {
        const burst = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            call(i % 2 ? a : b, 'POST', `/api/jobs/${jobId}/runs`),
          ),
        );
        for (const res of burst) created.push(res.body.id);
        await sleep(50);
      }
      const deadline = Date.now() + 10_000;
      let pending = created.length;
      while (pending > 0 && Date.now() < deadline) {
        await sleep(250);
        const page = await call(a, 'GET', `/api/runs?jobId=${jobId}&status=PENDING&limit=1`);
        pending = page.body.data.length;
      }
      expect(pending).toBe(0);
      // The triggers count a failure per transition: a second one would show on GET /metrics.
      const scrape = await fetch(`${a.baseUrl}/metrics`, { headers });
      const series = (await scrape.text())
        .split('\n')
        .filter((line) => line.includes(`job_id="${jobId}"`));
      const value = (name: string, status?: string) =>
        series
          .filter((l) => l.startsWith(`${name}{`) && (!status || l.includes(`status="${status}"`)))
          .map((l) => Number(l.split(' ').at(-1)));
      expect(value('chronotrack_runs_finished_total', 'FAILED')).toEqual([created.length]);
      expect(value('chronotrack_runs_created_total')).toEqual([created.length]);
      expect(value('chronotrack_job_running')).toEqual([0]);
      // Stopped, each has written every line it queued (a quiet server's last lines can wait).
      await Promise.all([stop(a), stop(b)]);
      const byA = sweptLines(a).filter((l) => l.jobId === jobId);
      const byB = sweptLines(b).filter((l) => l.jobId === jobId);
      const ids = [...byA, ...byB].map((l) => l.runId);
      // Every run swept once, by one of them, and both took part.
      expect(ids.length).toBe(created.length);
      expect(new Set(ids)).toEqual(new Set(created));
      expect(byA.length).toBeGreaterThan(0);
      expect(byB.length).toBeGreaterThan(0);
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
  }, 60_000);

  it('SWEEP_INTERVAL_SECONDS=0 turns sweeping off in that process', async () => {
    const server = await startNodeServer({ ...env('off.db'), SWEEP_INTERVAL_SECONDS: '0' });
    try {
      const jobId = await jobWithLimits(server, { pendingTimeoutSeconds: 1 });
      const run = (await call(server, 'POST', `/api/jobs/${jobId}/runs`)).body;
      await sleep(2500);
      expect((await call(server, 'GET', `/api/runs/${run.id}`)).body.status).toBe('PENDING');
      expect(server.output()).toContain('"sweepIntervalSeconds":0');
    } finally {
      await stop(server);
    }
    expect(sweptLines(server)).toEqual([]);
  }, 20_000);
});
