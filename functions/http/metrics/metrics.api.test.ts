import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';
import { client, clientWithNewKey, type Client } from '../../../test/support/client.js';
import { parseExposition, sampleValue, type Sample } from '../../../test/support/exposition.js';
import { expectProblem } from '../../../test/api/expect-problem.js';

/**
 * GET /metrics: the job metrics equal what the API was told, on every runtime and driver, and
 * the endpoint takes the API's keys.
 */
describeOnEveryDriver((getHarness) => {
  describe('GET /metrics', () => {
    let admin: Client;
    let reader: Client;
    const name = `metrics-${Math.random().toString(36).slice(2, 10)}`;
    let busy: { id: number };
    let idle: { id: number };
    let failedAt: string;

    /** A run that ends in `status` after `seconds`, reported as a cron wrapper would. */
    async function finished(jobId: number, status: 'SUCCESS' | 'FAILED', seconds: number) {
      const run = await admin.run(jobId, { status: 'RUNNING' });
      const startedAt = new Date(Date.parse(run.startedAt!) - seconds * 1000);
      expect(
        (await admin.patch(`/api/runs/${run.id}`, { startedAt: startedAt.toISOString() })).status,
      ).toBe(200);
      const res = await admin.patch(`/api/runs/${run.id}`, {
        status,
        finishedAt: run.startedAt,
        ...(status === 'FAILED' ? { errorMessage: 'exit 1' } : {}),
      });
      expect(res.status, res.text).toBe(200);
      return res.body as { finishedAt: string };
    }

    const scrape = async (as: Client = reader): Promise<Sample[]> => {
      const res = await as.get('/metrics');
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      return parseExposition(res.text);
    };

    beforeAll(async () => {
      admin = client(getHarness().target);
      reader = (await clientWithNewKey(admin, getHarness().target, { scope: 'read' })).api;
      busy = await admin.job(`${name} "busy"\\job`);
      idle = await admin.job(`${name} idle`);
      await finished(busy.id, 'SUCCESS', 2); // le 5
      await finished(busy.id, 'SUCCESS', 40); // le 60
      failedAt = (await finished(busy.id, 'FAILED', 4000)).finishedAt; // le 7200
      await admin.run(busy.id, { status: 'RUNNING' });
      const pending = await admin.run(busy.id);
      // Cancelled before it started: finished, but without a duration.
      expect((await admin.patch(`/api/runs/${pending.id}`, { status: 'CANCELLED' })).status).toBe(
        200,
      );
    });

    it('401 without a key, as the API answers it', async () => {
      const res = await client(getHarness().target, null).get('/metrics');
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="chronotrack"');
      const bad = await client(getHarness().target, 'ct_not_a_key').get('/metrics');
      expectProblem(bad, 401, 'UNAUTHENTICATED');
    });

    it('counts what was created and finished, per job, with its name and project', async () => {
      const samples = await scrape();
      const job = { job_id: String(busy.id), job_name: `${name} "busy"\\job`, project: 'default' };
      expect(sampleValue(samples, 'chronotrack_runs_created_total', job)).toBe(5);
      const finishedOf = (status: string) =>
        sampleValue(samples, 'chronotrack_runs_finished_total', { ...job, status });
      expect([finishedOf('SUCCESS'), finishedOf('FAILED'), finishedOf('CANCELLED')]).toEqual([
        2, 1, 1,
      ]);
      expect(sampleValue(samples, 'chronotrack_job_running', job)).toBe(1);
      expect(sampleValue(samples, 'chronotrack_job_up', job)).toBe(0);
      expect(sampleValue(samples, 'chronotrack_job_last_failure_timestamp_seconds', job)).toBe(
        Date.parse(failedAt) / 1000,
      );
      expect(
        sampleValue(samples, 'chronotrack_job_last_success_timestamp_seconds', job),
      ).toBeLessThan(Date.parse(failedAt) / 1000);
      // Never the `job` label: Prometheus sets it on every target.
      expect(samples.filter((s) => 'job' in s.labels)).toEqual([]);
    });

    it('a histogram of finished runs: cumulative buckets from 1 s to 24 h, sum and count', async () => {
      const samples = await scrape();
      const job = { job_id: String(busy.id) };
      const bucket = (le: string) =>
        sampleValue(samples, 'chronotrack_run_duration_seconds_bucket', { ...job, le });
      expect(
        [
          '1',
          '5',
          '15',
          '30',
          '60',
          '300',
          '900',
          '1800',
          '3600',
          '7200',
          '21600',
          '43200',
          '86400',
          '+Inf',
        ].map(bucket),
      ).toEqual([0, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
      expect(sampleValue(samples, 'chronotrack_run_duration_seconds_count', job)).toBe(3);
      expect(sampleValue(samples, 'chronotrack_run_duration_seconds_sum', job)).toBe(4042);
    });

    it('a job without runs is there with zeros; up turns 1 when its last run succeeds', async () => {
      let samples = await scrape();
      const job = { job_id: String(idle.id) };
      expect(sampleValue(samples, 'chronotrack_runs_created_total', job)).toBe(0);
      expect(sampleValue(samples, 'chronotrack_run_duration_seconds_count', job)).toBe(0);
      expect(sampleValue(samples, 'chronotrack_job_up', job)).toBe(0);
      expect(
        sampleValue(samples, 'chronotrack_job_last_success_timestamp_seconds', job),
      ).toBeUndefined();
      await finished(idle.id, 'SUCCESS', 1);
      samples = await scrape();
      expect(sampleValue(samples, 'chronotrack_job_up', job)).toBe(1);
      expect(
        sampleValue(samples, 'chronotrack_runs_finished_total', { ...job, status: 'SUCCESS' }),
      ).toBe(1);
      expect(
        sampleValue(samples, 'chronotrack_run_duration_seconds_bucket', { ...job, le: '1' }),
      ).toBe(1);
    });

    it("a project's key sees only its project's jobs; archived jobs leave", async () => {
      const project = (await admin.post('/api/projects', { name: `${name}-p` })).body as {
        id: number;
        name: string;
      };
      const own = (
        await clientWithNewKey(admin, getHarness().target, {
          scope: 'write',
          projectId: project.id,
        })
      ).api;
      const mine = await own.job('theirs');
      await own.run(mine.id);
      const scoped = (
        await clientWithNewKey(admin, getHarness().target, { scope: 'read', projectId: project.id })
      ).api;
      const seen = await scrape(scoped);
      expect(new Set(seen.map((s) => s.labels.job_id))).toEqual(new Set([String(mine.id)]));
      expect(sampleValue(seen, 'chronotrack_runs_created_total', { project: project.name })).toBe(
        1,
      );
      // An unscoped key sees every project's jobs.
      expect(
        sampleValue(await scrape(), 'chronotrack_runs_created_total', { job_id: String(mine.id) }),
      ).toBe(1);
      expect((await own.patch(`/api/jobs/${mine.id}`, { archived: true })).status).toBe(200);
      expect((await scrape(scoped)).filter((s) => s.name.startsWith('chronotrack_'))).toEqual([]);
    });
  });
});
