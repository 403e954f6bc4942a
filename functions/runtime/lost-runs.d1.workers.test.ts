import { createScheduledController, env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { openD1 } from '../../db/d1.js';
import { describeLostRunDeadlinesContract } from '../../test/db/lost-run-deadlines-contract.js';
import { describeLostRunsContract } from '../../test/db/lost-runs-contract.js';
import worker from './worker.js';
import { client, type ApiTarget } from '../../test/support/client.js';

// The same contract as db/lost-runs.test.ts, on D1 in workerd: one database for the file, so
// each test looks only at its own jobs' runs.
describeLostRunsContract('D1', async () => openD1(env.DB));
describeLostRunDeadlinesContract('D1', async () => openD1(env.DB));

describe('the Cron Trigger (scheduled handler) on Workers + D1', () => {
  const target: ApiTarget = {
    fetch: (path, init) => SELF.fetch(`http://chronotrack.test${path}`, init),
  };
  const api = client(target);
  // What the runtime does on the cron: the handler's promise is the invocation.
  const scheduled = (scheduledTime: number) =>
    worker.scheduled(createScheduledController({ scheduledTime, cron: '* * * * *' }), env);

  it('sweeps as of its scheduled time: a PENDING run past pendingTimeoutSeconds fails, once', async () => {
    const job = await api.job('Cron-swept job', { pendingTimeoutSeconds: 60 });
    const run = await api.run(job.id);
    const created = Date.parse(run.createdAt);

    await scheduled(created + 60_000); // exactly at the limit: not passed
    expect((await api.get(`/api/runs/${run.id}`)).body.status).toBe('PENDING');

    await scheduled(created + 61_000);
    const swept = (await api.get(`/api/runs/${run.id}`)).body;
    expect(swept).toMatchObject({
      status: 'FAILED',
      errorMessage: 'never started',
      finishedAt: new Date(created + 61_000).toISOString(),
    });
    await scheduled(created + 120_000);
    expect((await api.get(`/api/runs/${run.id}`)).body).toEqual(swept);
    const metrics = await env.DB.prepare('SELECT failed_total FROM job_metrics WHERE job_id = ?')
      .bind(job.id)
      .first<{ failed_total: number }>();
    expect(metrics?.failed_total).toBe(1);
  });

  it('deletes expired Idempotency-Key records, and only those', async () => {
    const insert = env.DB.prepare(
      "INSERT INTO idempotency_keys (principal, key, fingerprint, status, created_at, expires_at) VALUES ('key:cron', ?, 'f', 201, ?, ?)",
    );
    const now = Date.now();
    await env.DB.batch([
      insert.bind('expired', now - 86_400_000, now - 1),
      insert.bind('live', now, now + 86_400_000),
    ]);
    await scheduled(now);
    const left = await env.DB.prepare(
      "SELECT key FROM idempotency_keys WHERE principal = 'key:cron' ORDER BY key",
    ).all<{ key: string }>();
    expect(left.results.map((row) => row.key)).toEqual(['live']);
  });

  it("deletes a project's finished runs past its retention, keeping each job's newest 20 and open runs", async () => {
    const project = (await api.post('/api/projects', { name: 'Retained on D1' })).body;
    expect((await api.patch(`/api/projects/${project.id}`, { retentionDays: 30 })).status).toBe(
      200,
    );
    const job = await api.job('Retained job', { projectId: project.id });
    const now = Date.now();
    const day = 86_400_000;
    const insert = env.DB.prepare(
      'INSERT INTO job_runs (job_id, status, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?)',
    );
    // 25 finished runs of 40-64 days ago, and a RUNNING one of 100 days ago.
    await env.DB.batch([
      ...Array.from({ length: 25 }, (_, i) => {
        const at = now - (64 - i) * day;
        return insert.bind(job.id, 'SUCCESS', at, at, at + 1000);
      }),
      insert.bind(job.id, 'RUNNING', now - 100 * day, now - 100 * day, null),
    ]);
    await scheduled(now);
    const left = await env.DB.prepare(
      'SELECT status, created_at AS createdAt FROM job_runs WHERE job_id = ? ORDER BY created_at',
    )
      .bind(job.id)
      .all<{ status: string; createdAt: number }>();
    // The RUNNING one, then the newest 20 by creation (the open one is older than them all).
    expect(left.results.map((r) => r.status)).toEqual(['RUNNING', ...Array(20).fill('SUCCESS')]);
    expect(left.results[1]!.createdAt).toBe(now - 59 * day);
    expect((await api.get(`/api/projects/${project.id}`)).body.runs.count).toBe(21);
  });

  it('fails the invocation, naming the binding, when D1 is missing', async () => {
    await expect(
      worker.scheduled(createScheduledController({ scheduledTime: Date.now() }), {}),
    ).rejects.toThrow(/D1 binding named DB/);
  });
});
