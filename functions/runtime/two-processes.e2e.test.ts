import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concurrently, LoadClient, serverEnv, type Answer } from '../../test/support/http-load.js';
import { startedServers, type NodeServer } from '../../test/support/node-process.js';
import { startReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';

/**
 * Two Node processes on one SQLite file, both serving, sweeping and dispatching (issue 25): no
 * 5xx and no SQLITE_BUSY under write load, a transition raced across them applied once, each
 * webhook event sent once, and a `kill -9` of one losing nothing either acknowledged.
 */

/** Anything a client must never be shown: the driver's errors, a lock, a stack. */
const LEAK = /SQLITE|BUSY|database is locked|at .*\.ts:/i;
const STEPS = ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('two Node processes on one SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-two-processes-'));
  const file = join(dir, 'shared.db');
  const startServer = startedServers();
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('no 5xx, one winner per raced transition, each webhook once, and kill -9 of one loses nothing', async () => {
    const env = {
      ...serverEnv(file),
      SWEEP_INTERVAL_SECONDS: '1',
      WEBHOOK_DISPATCH_INTERVAL_SECONDS: '0.2',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    };
    // Started together on a new file: both migrate it at once (db/better-sqlite3.ts).
    const [serverA, serverB] = await Promise.all([startServer(env), startServer(env)]);
    const a = new LoadClient(serverA!.baseUrl);
    const b = new LoadClient(serverB!.baseUrl);

    const answers: Answer[] = [];
    const noAnswer: unknown[] = [];
    let killed = false;
    const record = async (send: Promise<Answer>) => {
      try {
        const answer = await send;
        answers.push(answer);
        return answer;
      } catch (error) {
        if (!killed) noAnswer.push(error);
        return null;
      }
    };

    const hook = await a.post('/api/webhooks', {
      url: receiver.url,
      events: ['run.created', 'run.succeeded', 'run.failed'],
    });
    expect(hook.status).toBe(201);
    const job = await a.post('/api/jobs', { name: 'raced' });
    const lost = await b.post('/api/jobs', { name: 'swept', pendingTimeoutSeconds: 1 });
    expect([job.status, lost.status]).toEqual([201, 201]);

    // Phase 1, both alive: runs created on one server, each transition raced on both at once;
    // and runs left PENDING, which both processes' sweepers race to fail.
    const raced: number[] = [];
    const swept: number[] = [];
    const splitRaces: string[] = [];
    const until = Date.now() + 3000;
    await concurrently(12, async (worker) => {
      const home = worker % 2 === 0 ? a : b;
      while (Date.now() < until) {
        if (worker < 2) {
          const run = await record(home.post(`/api/jobs/${lost.body.id}/runs`));
          if (run?.status === 201) swept.push(run.body.id);
          await sleep(20);
          continue;
        }
        const run = await record(home.post(`/api/jobs/${job.body.id}/runs`));
        if (run?.status !== 201) return;
        const id = run.body.id as number;
        raced.push(id);
        for (const [toA, toB] of [
          [{ status: 'RUNNING' }, { status: 'RUNNING' }],
          [{ status: 'SUCCESS' }, { status: 'FAILED', errorMessage: 'lost to a' }],
        ]) {
          const both = await Promise.all([
            record(a.patch(`/api/runs/${id}`, toA)),
            record(b.patch(`/api/runs/${id}`, toB)),
          ]);
          const statuses = both.map((answer) => answer?.status).sort();
          const loser = both.find((answer) => answer?.status === 409);
          if (statuses.join() !== '200,409' || loser?.body?.code !== 'INVALID_TRANSITION') {
            splitRaces.push(`run ${id}: ${both.map((answer) => answer?.status)}`);
          }
        }
      }
    });
    expect(splitRaces).toEqual([]);

    // Every swept run failed once (by either process), every event delivered once.
    const deadline = Date.now() + 15_000;
    let pending = swept.length;
    while (pending > 0 && Date.now() < deadline) {
      await sleep(200);
      pending = (await a.get(`/api/runs?jobId=${lost.body.id}&status=PENDING&limit=1`)).body.data
        .length;
    }
    expect(pending).toBe(0);
    // run.created for every run; run.succeeded or run.failed for every raced and swept run.
    const events = 2 * (raced.length + swept.length);
    await receiver.waitFor(events, 15_000);
    await sleep(1000); // a second sender, if any, would have sent by now
    const byId = new Map<string, number>();
    for (const hit of receiver.received) {
      const id = String(hit.headers['webhook-id']);
      byId.set(id, (byId.get(id) ?? 0) + 1);
    }
    expect([...byId].filter(([, times]) => times > 1)).toEqual([]);
    expect(byId.size).toBe(events);
    const sentBy = (server: NodeServer) =>
      server
        .output()
        .split('\n')
        .filter((line) => line.includes('"msg":"run swept"')).length;
    expect(sentBy(serverA!) + sentBy(serverB!)).toBe(swept.length);
    expect((await a.request('DELETE', `/api/webhooks/${hook.body.id}`)).status).toBe(204);

    // Phase 2: both under load, B killed mid-way; A goes on.
    const acknowledged = new Map<number, string>();
    let acks = 0;
    let inFlightAtB = -1;
    const KILL_AFTER = 600;
    await concurrently(12, async (worker) => {
      for (let n = 0; n < 120; n++) {
        const home = worker % 2 === 0 || killed ? a : b;
        const run = await record(home.post(`/api/jobs/${job.body.id}/runs`));
        if (run?.status !== 201) continue;
        acknowledged.set(run.body.id, 'PENDING');
        const moved = await record(home.patch(`/api/runs/${run.body.id}`, { status: 'RUNNING' }));
        if (moved?.status === 200) acknowledged.set(run.body.id, 'RUNNING');
        if ((acks += moved?.status === 200 ? 2 : 1) >= KILL_AFTER && !killed) {
          killed = true;
          inFlightAtB = b.inFlight;
          serverB!.child.kill('SIGKILL');
        }
      }
    });
    expect(killed).toBe(true);
    expect(await serverB!.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // Not vacuous: B died with requests sent to it and never answered.
    expect(inFlightAtB).toBeGreaterThan(0);

    expect(noAnswer).toEqual([]);
    const fivexx = answers.filter((answer) => answer.status >= 500);
    expect(fivexx.map((answer) => `${answer.status} ${answer.text}`)).toEqual([]);
    expect(answers.filter((answer) => LEAK.test(answer.text))).toEqual([]);

    serverA!.child.kill('SIGTERM');
    expect((await serverA!.exited).code).toBe(0);
    for (const server of [serverA!, serverB!])
      expect(server.output()).not.toContain('"unhandled error"');

    const sqlite = new BetterSqlite3(file);
    try {
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = new Map(
        (
          sqlite.prepare('SELECT id, status FROM job_runs').all() as Array<{
            id: number;
            status: string;
          }>
        ).map((row) => [row.id, row.status]),
      );
      const lostRuns = [...acknowledged].filter(([id]) => !rows.has(id));
      expect(lostRuns).toEqual([]);
      const rolledBack = [...acknowledged].filter(
        ([id, status]) => STEPS.indexOf(rows.get(id) as never) < STEPS.indexOf(status as never),
      );
      expect(rolledBack).toEqual([]);
      console.info('two processes on one file', {
        raced: raced.length,
        swept: swept.length,
        webhooksReceived: receiver.received.length,
        sweptBy: { a: sentBy(serverA!), b: sentBy(serverB!) },
        afterKill: { acknowledgedRuns: acknowledged.size, onDisk: rows.size, inFlightAtB },
        answers: answers.length,
      });
    } finally {
      sqlite.close();
    }
  }, 60_000);
});
