import { beforeAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../../shared/logger.js';
import { HealthRecorder } from '../../../shared/services/index.js';
import { client, type Client } from '../../../test/support/client.js';
import { parseExposition, sampleValue } from '../../../test/support/exposition.js';
import { expectProblem } from '../../../test/api/expect-problem.js';
import { describeOnEveryDriver, type ApiHarness } from '../../../test/api/every-driver.js';

const MINUTE = 60_000;

/** Schedules, derived health and its recording, on every runtime (real database, real HTTP). */
describeOnEveryDriver((getHarness) => {
  describe('schedules and health', () => {
    let harness: ApiHarness;
    let api: Client;
    /** The API as it answers at `ms` after the real now (the services' injected clock). */
    const later = (ms: number) => {
      const at = new Date(Date.now() + ms);
      return client(harness.appWith({ now: () => at }));
    };

    beforeAll(() => {
      harness = getHarness();
      api = client(harness.target);
    });

    it('stores schedule, timezone and graceSeconds; a new job is `new` with its next expected time', async () => {
      const res = await api.post('/api/jobs', {
        name: 'Nightly backup (health)',
        schedule: '0 3 * * *',
        timezone: 'Europe/Berlin',
        graceSeconds: 900,
      });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({
        schedule: '0 3 * * *',
        timezone: 'Europe/Berlin',
        graceSeconds: 900,
        health: 'new',
        lastRunAt: null,
      });
      // 03:00 in Berlin is 01:00 or 02:00 UTC, within the next day.
      const next = Date.parse(res.body.nextExpectedAt);
      expect(new Date(next).getUTCMinutes()).toBe(0);
      expect([1, 2]).toContain(new Date(next).getUTCHours());
      expect(next - Date.now()).toBeLessThanOrEqual(24 * 60 * MINUTE);
      // Without a schedule nothing is expected.
      expect((await api.get(`/api/jobs/${(await api.job('Unscheduled')).id}`)).body).toMatchObject({
        schedule: null,
        timezone: null,
        graceSeconds: null,
        health: 'new',
        nextExpectedAt: null,
      });
    });

    it("answers 400 with the parser's reason for an invalid schedule, time zone or grace", async () => {
      const invalid = async (body: Record<string, unknown>, path: string, reason: RegExp) => {
        const res = await api.post('/api/jobs', { name: 'Invalid schedule', ...body });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ path, message: expect.stringMatching(reason) }),
          ]),
        );
      };
      await invalid({ schedule: '61 * * * *' }, 'schedule', /minute/i);
      await invalid({ schedule: '* * *' }, 'schedule', /5 fields/);
      await invalid({ schedule: 'every fortnight' }, 'schedule', /every <n>/);
      await invalid({ timezone: 'Mars/Olympus' }, 'timezone', /time zone/);
      await invalid({ graceSeconds: 0 }, 'graceSeconds', /positive/);
      const job = await api.job('Patched schedule');
      const res = await api.patch(`/api/jobs/${job.id}`, { schedule: '0 25 * * *' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors[0]).toMatchObject({
        path: 'schedule',
        message: expect.stringMatching(/hour/i),
      });
      const put = await api.call('PUT', '/api/jobs/by-key/health-put', {
        json: { schedule: '@never' },
      });
      expectProblem(put, 400, 'VALIDATION_FAILED');
    });

    it('PATCH and PUT set and clear a schedule', async () => {
      const put = await api.call('PUT', '/api/jobs/by-key/health-put', {
        json: { schedule: 'every 15m', graceSeconds: 60 },
      });
      expect(put.status, put.text).toBe(201);
      expect(put.body).toMatchObject({ schedule: 'every 15m', graceSeconds: 60, health: 'new' });
      const cleared = await api.patch(`/api/jobs/${put.body.id}`, {
        schedule: null,
        graceSeconds: null,
      });
      expect(cleared.status, cleared.text).toBe(200);
      expect(cleared.body).toMatchObject({ schedule: null, nextExpectedAt: null, health: 'new' });
    });

    it('late past the grace, down past a second, up once a run is recorded; paused when archived', async () => {
      const job = await api.job('Every 15 minutes (health)', {
        schedule: 'every 15m',
        graceSeconds: 60,
      });
      const healthAt = async (ms: number) =>
        (await later(ms).get(`/api/jobs/${job.id}`)).body.health as string;
      expect(await healthAt(15 * MINUTE + 30_000)).toBe('new');
      expect(await healthAt(16 * MINUTE + 30_000)).toBe('late');
      expect(await healthAt(17 * MINUTE + 30_000)).toBe('down');
      const run = await api.run(job.id, { status: 'RUNNING' });
      const read = (await later(MINUTE).get(`/api/jobs/${job.id}`)).body;
      // The run, recorded now, moved the expectation 15 minutes past itself.
      expect(read.health).toBe('up');
      expect(Date.parse(read.nextExpectedAt) - Date.parse(read.lastRunAt)).toBe(15 * MINUTE);
      await api.patch(`/api/runs/${run.id}`, { status: 'FAILED' });
      expect(await healthAt(0)).toBe('down');
      await api.patch(`/api/jobs/${job.id}`, { archived: true });
      expect((await api.get(`/api/jobs/${job.id}`)).body).toMatchObject({
        health: 'paused',
        nextExpectedAt: null,
      });
    });

    it('every create path records health `new` at once: listed by ?health=new before any tick', async () => {
      const tag = `born-new-${crypto.randomUUID().slice(0, 8)}`;
      const posted = await api.post('/api/jobs', { name: `${tag}-posted` });
      expect(posted.status, posted.text).toBe(201);
      const put = await api.call('PUT', `/api/jobs/by-key/${tag}-put`, { json: {} });
      expect(put.status, put.text).toBe(201);
      const run = await api.post(`/api/jobs/by-key/${tag}-by-key-run/runs`, { status: 'RUNNING' });
      expect(run.status, run.text).toBe(201);
      const projects = (await api.get('/api/projects')).body.data as Array<{
        name: string;
        pingKey: string;
      }>;
      const pingKey = projects.find((p) => p.name === 'default')!.pingKey;
      const pinged = await api.get(`/ping/${pingKey}/${tag}-pinged/start?create=1`);
      expect(pinged.status, pinged.text).toBe(201);
      const pingedJob = (await api.get(`/api/jobs/by-key/${tag}-pinged`)).body as { id: number };
      const listed = await api.get(`/api/jobs?health=new&q=${tag}&sort=name`);
      expect(listed.status, listed.text).toBe(200);
      // The two with a run are `up` when read; what is recorded is `new` until the next tick.
      expect(listed.body.data.map((j: { id: number }) => j.id)).toEqual([
        run.body.jobId,
        pingedJob.id,
        posted.body.id,
        put.body.id,
      ]);
    });

    it('chronotrack_job_up is 0 while the recorded health is late or down, 1 again after a success', async () => {
      const job = await api.job('Every minute (job_up)', {
        schedule: 'every 1m',
        graceSeconds: 30,
      });
      const up = async () => {
        const res = await api.get('/metrics');
        expect(res.status, res.text).toBe(200);
        return sampleValue(parseExposition(res.text), 'chronotrack_job_up', {
          job_id: String(job.id),
        });
      };
      const run = await api.run(job.id, { status: 'RUNNING' });
      expect((await api.patch(`/api/runs/${run.id}`, { status: 'SUCCESS' })).status).toBe(200);
      expect(await up()).toBe(1);
      const recorder = new HealthRecorder(
        harness.stores().jobs,
        createJsonLogger({ silent: true }),
      );
      const recordedAt = async (ms: number) =>
        (await recorder.record(new Date(Date.now() + ms))).find((t) => t.jobId === job.id)?.to;
      // The run expected a minute after the last one has not come within the 30 s grace.
      expect(await recordedAt(100_000)).toBe('late');
      expect(await up()).toBe(0);
      expect(await recordedAt(125_000)).toBe('down');
      expect(await up()).toBe(0);
      // A run that succeeds after the recording counts at once, before the next tick records up.
      const late = client(harness.appWith({ now: () => new Date(Date.now() + 130_000) }));
      const next = await late.run(job.id, { status: 'RUNNING' });
      expect((await late.patch(`/api/runs/${next.id}`, { status: 'SUCCESS' })).status).toBe(200);
      expect(await up()).toBe(1);
      expect(await recordedAt(135_000)).toBe('up');
      expect(await up()).toBe(1);
    });

    it('GET /api/jobs?health= filters on the health the sweep recorded, across pages', async () => {
      const type = `health-${crypto.randomUUID()}`;
      const late = await api.job('Late one', { type, schedule: 'every 1m', graceSeconds: 1 });
      const lateToo = await api.job('Late two', { type, schedule: 'every 1m', graceSeconds: 1 });
      const up = await api.job('Up one', { type, schedule: 'every 1m', graceSeconds: 600 });
      await api.run(up.id);
      const failed = await api.job('Failed one', { type });
      const run = await api.run(failed.id, { status: 'RUNNING' });
      await api.patch(`/api/runs/${run.id}`, { status: 'FAILED' });
      const listed = async (health: string, extra = '') => {
        const res = await api.get(`/api/jobs?type=${type}&health=${health}${extra}`);
        expect(res.status, res.text).toBe(200);
        return res.body;
      };
      // Nothing recorded yet: the filter reads the recorded value.
      expect((await listed('late,down')).data).toEqual([]);
      const recorder = new HealthRecorder(
        harness.stores().jobs,
        createJsonLogger({ silent: true }),
      );
      // One instant for both passes: read twice, the clock could cross the down boundary between.
      const at = new Date(Date.now() + 61_500);
      const transitions = await recorder.record(at);
      const mine = transitions.filter((t) =>
        [late.id, lateToo.id, up.id, failed.id].includes(t.jobId),
      );
      expect(mine).toHaveLength(4);
      // Recorded once: a second pass at the same time changes nothing.
      const again = await recorder.record(at);
      expect(again.filter((t) => [late.id, up.id].includes(t.jobId))).toEqual([]);
      expect((await listed('late')).data.map((j: { id: number }) => j.id)).toEqual([
        lateToo.id,
        late.id,
      ]);
      expect((await listed('down')).data.map((j: { id: number }) => j.id)).toEqual([failed.id]);
      expect((await listed('up')).data.map((j: { id: number }) => j.id)).toEqual([up.id]);
      // Paging by cursor within the filter: one per page, no gaps, no repeats.
      const first = await listed('down,late', '&limit=2');
      expect(first.data.map((j: { id: number }) => j.id)).toEqual([failed.id, lateToo.id]);
      const second = await api.get(
        `/api/jobs?type=${type}&health=down,late&limit=2&cursor=${first.nextCursor}`,
      );
      expect(second.body.data.map((j: { id: number }) => j.id)).toEqual([late.id]);
      expect(second.body.nextCursor).toBeNull();
      expectProblem(await api.get('/api/jobs?health=down,sideways'), 400, 'VALIDATION_FAILED');
    });
  });
});
