import { beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.js';
import { deriveJobKey } from '../../shared/job-keys.js';
import type { JobRepository, JobRunRepository, NewRun } from '../../shared/repositories.js';

export interface RepositoryPair {
  jobs: JobRepository;
  runs: JobRunRepository;
}

const at = (iso: string) => new Date(iso);
const NEWEST = { field: 'createdAt', descending: true } as const;

/**
 * The behaviour every JobRepository/JobRunRepository implementation must share. Each
 * implementation's test file calls this with a factory that returns fresh, empty stores.
 */
export function describeRepositoryContract(name: string, create: () => Promise<RepositoryPair>) {
  describe(`repository contract: ${name}`, () => {
    let repos: RepositoryPair;
    beforeEach(async () => {
      repos = await create();
    });

    const createRun = async (run: NewRun) => {
      const created = await repos.runs.createForActiveJob(run);
      if (!created) throw new Error(`no run was created for job ${run.jobId}`);
      return created;
    };

    /** A run created and started at `started`. */
    const runningSince = (job: { id: number }, started: Date) =>
      createRun({
        jobId: job.id,
        status: 'RUNNING',
        createdAt: started,
        startedAt: started,
        metadata: null,
      });

    const newJob = (name: string, projectId = 1) =>
      repos.jobs.create({
        projectId,
        key: deriveJobKey(name),
        name,
        description: null,
        type: null,
        now: at('2026-01-01T00:00:00Z'),
      });

    it('creates jobs with increasing ids and reads them back', async () => {
      const a = await repos.jobs.create({
        projectId: 1,
        key: 'job-a',
        name: 'A',
        description: 'd',
        type: 'etl',
        heartbeatTimeoutSeconds: 60,
        pendingTimeoutSeconds: 600,
        now: at('2026-01-01T00:00:00Z'),
      });
      const b = await newJob('B');
      expect(b.id).toBeGreaterThan(a.id);
      expect(a).toEqual({
        id: a.id,
        projectId: 1,
        key: 'job-a',
        name: 'A',
        description: 'd',
        type: 'etl',
        archived: false,
        heartbeatTimeoutSeconds: 60,
        maxDurationSeconds: null,
        pendingTimeoutSeconds: 600,
        pingUuid: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        schedule: null,
        timezone: null,
        graceSeconds: null,
        recordedHealth: 'new',
        healthChangedAt: at('2026-01-01T00:00:00Z'),
        lastRunAt: null,
        lastFinishedStatus: null,
        createdAt: at('2026-01-01T00:00:00Z'),
        updatedAt: at('2026-01-01T00:00:00Z'),
      });
      expect(b).toMatchObject({
        key: 'b',
        heartbeatTimeoutSeconds: null,
        maxDurationSeconds: null,
        pendingTimeoutSeconds: null,
      });
      expect(await repos.jobs.findById(a.id)).toEqual(a);
      expect(await repos.jobs.findById(999_999)).toBeNull();
      expect((await repos.jobs.list({ archived: 'all', sort: NEWEST, limit: 10 }))[1]).toEqual(a);
    });

    it('says whether a job exists in a scope without reading it', async () => {
      const job = await newJob('Exists');
      expect(await repos.jobs.exists(job.id)).toBe(true);
      expect(await repos.jobs.exists(job.id, null)).toBe(true);
      expect(await repos.jobs.exists(job.id, 1)).toBe(true);
      // Another project's job looks exactly like a missing one.
      expect(await repos.jobs.exists(job.id, 2)).toBe(false);
      expect(await repos.jobs.exists(999_999)).toBe(false);
      expect(await repos.jobs.exists(999_999, 1)).toBe(false);
    });

    const expectKeyTaken = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('JOB_KEY_TAKEN');
    };

    it('draws each job a distinct ping UUID (or keeps the one given) and finds the job by it', async () => {
      const a = await newJob('Ping A');
      const b = await newJob('Ping B');
      expect(a.pingUuid).not.toBe(b.pingUuid);
      expect(await repos.jobs.findByPingUuid(a.pingUuid!)).toEqual(a);
      expect(await repos.jobs.findByPingUuid('5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10')).toBeNull();
      const given = await repos.jobs.create({
        projectId: 1,
        key: 'ping-given',
        name: 'Given',
        description: null,
        type: null,
        pingUuid: '0f1e2d3c-4b5a-4697-8877-665544332211',
        now: at('2026-01-01T00:00:00Z'),
      });
      expect(given.pingUuid).toBe('0f1e2d3c-4b5a-4697-8877-665544332211');
    });

    it('keeps keys unique per project, finds jobs by key and changes keys', async () => {
      const a = await newJob('Nightly backup');
      const other = await newJob('Nightly backup', 2);
      expect(other.key).toBe(a.key);
      expect(await repos.jobs.findByKey(1, 'nightly-backup')).toEqual(a);
      expect(await repos.jobs.findByKey(2, 'nightly-backup')).toEqual(other);
      expect(await repos.jobs.findByKey(3, 'nightly-backup')).toBeNull();
      await expectKeyTaken(newJob('Nightly backup'));
      const b = await newJob('B');
      const later = at('2026-02-01T00:00:00Z');
      await expectKeyTaken(repos.jobs.update(b.id, { key: a.key, updatedAt: later }));
      // The refused update changed nothing.
      expect(await repos.jobs.findById(b.id)).toEqual(b);
      const renamed = await repos.jobs.update(b.id, {
        key: 'b-2',
        maxDurationSeconds: 30,
        updatedAt: later,
      });
      expect(renamed).toEqual({ ...b, key: 'b-2', maxDurationSeconds: 30, updatedAt: later });
      // Its own key again is no conflict.
      expect(await repos.jobs.update(b.id, { key: 'b-2', updatedAt: later })).toEqual(renamed);
      expect(await repos.jobs.findByKey(1, 'b')).toBeNull();
      expect(await repos.jobs.findByKey(1, 'b-2')).toEqual(renamed);
    });

    it('lists the keys of a project that start with a prefix', async () => {
      for (const name of ['backup', 'backup 2', 'backups', 'backu', 'other']) await newJob(name);
      await newJob('backup', 2);
      expect((await repos.jobs.keysStartingWith(1, 'backup')).sort()).toEqual([
        'backup',
        'backup-2',
        'backups',
      ]);
      expect(await repos.jobs.keysStartingWith(1, 'nothing')).toEqual([]);
    });

    it('updates only the given fields', async () => {
      const job = await newJob('A');
      const updated = await repos.jobs.update(job.id, {
        archived: true,
        description: null,
        updatedAt: at('2026-02-01T00:00:00Z'),
      });
      expect(updated).toEqual({ ...job, archived: true, updatedAt: at('2026-02-01T00:00:00Z') });
      expect(
        await repos.jobs.update(999_999, { name: 'x', updatedAt: at('2026-02-01T00:00:00Z') }),
      ).toBeNull();
    });

    it('lists jobs newest first with keyset windows and the archived filter', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await newJob(`job ${i}`)).id);
      await repos.jobs.update(ids[1]!, { archived: true, updatedAt: at('2026-01-02T00:00:00Z') });
      const active = await repos.jobs.list({ archived: 'false', sort: NEWEST, limit: 10 });
      expect(active.map((j) => j.id)).toEqual([ids[4], ids[3], ids[2], ids[0]]);
      expect(
        (
          await repos.jobs.list({
            archived: 'false',
            sort: NEWEST,
            limit: 2,
            after: { key: at('2026-01-01T00:00:00Z').getTime(), id: ids[3]! },
          })
        ).map((j) => j.id),
      ).toEqual([ids[2], ids[0]]);
      expect(
        (await repos.jobs.list({ archived: 'true', sort: NEWEST, limit: 10 })).map((j) => j.id),
      ).toEqual([ids[1]]);
      expect(await repos.jobs.list({ archived: 'all', sort: NEWEST, limit: 3 })).toHaveLength(3);
    });

    it('creates runs and round-trips metadata and timestamps', async () => {
      const job = await newJob('A');
      const run = await createRun({
        jobId: job.id,
        status: 'RUNNING',
        createdAt: at('2026-01-01T00:00:00Z'),
        startedAt: at('2026-01-01T00:00:01Z'),
        metadata: { host: 'w1', params: { n: 1 } },
      });
      expect(run).toEqual({
        id: run.id,
        jobId: job.id,
        status: 'RUNNING',
        createdAt: at('2026-01-01T00:00:00Z'),
        startedAt: at('2026-01-01T00:00:01Z'),
        finishedAt: null,
        durationMs: null,
        errorMessage: null,
        metadata: { host: 'w1', params: { n: 1 } },
        exitCode: null,
        lastHeartbeatAt: null,
        slow: false,
      });
      // Only a run read by itself has its output.
      expect(await repos.runs.findById(run.id)).toEqual({ ...run, output: null });
      expect(await repos.runs.findById(999_999)).toBeNull();
    });

    it("stores a run's exit code and output, and no list page carries the output", async () => {
      const job = await newJob('A');
      const started = at('2026-01-01T00:00:01Z');
      const run = await runningSince(job, started);
      const output = 'line 1\nline 2 ✓\n'.repeat(100);
      const done = await repos.runs.updateIf(
        run.id,
        { statuses: ['RUNNING'], startedAt: started },
        { status: 'FAILED', finishedAt: at('2026-01-01T00:00:02Z'), exitCode: 3, output },
      );
      expect(done).toMatchObject({ status: 'FAILED', exitCode: 3, output });
      expect(await repos.runs.findById(run.id)).toEqual(done);
      const [listed] = await repos.runs.list({ jobId: job.id, sort: NEWEST, limit: 10 });
      const { output: _output, ...withoutOutput } = done!;
      expect(listed).toEqual(withoutOutput);
      expect(listed).not.toHaveProperty('output');
      expect(await repos.runs.latest(job.id)).toEqual(withoutOutput);
    });

    it("reads a job's schedule and the facts its health is derived from: latest run, latest finished status", async () => {
      const job = await repos.jobs.create({
        projectId: 1,
        key: 'nightly',
        name: 'Nightly',
        description: null,
        type: null,
        schedule: '0 3 * * *',
        timezone: 'Europe/Berlin',
        graceSeconds: 600,
        now: at('2026-01-01T00:00:00Z'),
      });
      expect(job).toMatchObject({
        schedule: '0 3 * * *',
        timezone: 'Europe/Berlin',
        graceSeconds: 600,
        lastRunAt: null,
        lastFinishedStatus: null,
      });
      const failed = await createRun({
        jobId: job.id,
        status: 'RUNNING',
        createdAt: at('2026-01-01T01:00:00Z'),
        startedAt: at('2026-01-01T01:00:00Z'),
        metadata: null,
      });
      await repos.runs.updateIf(
        failed.id,
        { statuses: ['RUNNING'], startedAt: failed.startedAt },
        { status: 'FAILED', finishedAt: at('2026-01-01T01:00:05Z') },
      );
      await createRun({
        jobId: job.id,
        status: 'PENDING',
        createdAt: at('2026-01-01T02:00:00Z'),
        startedAt: null,
        metadata: null,
      });
      // The latest run is the PENDING one; the latest finished one FAILED.
      const read = await repos.jobs.findById(job.id);
      expect(read).toMatchObject({
        lastRunAt: at('2026-01-01T02:00:00Z'),
        lastFinishedStatus: 'FAILED',
      });
      // A write returns the same facts as a read.
      expect(
        await repos.jobs.update(job.id, {
          graceSeconds: 60,
          updatedAt: at('2026-01-02T00:00:00Z'),
        }),
      ).toMatchObject({ graceSeconds: 60, lastRunAt: at('2026-01-01T02:00:00Z') });
      expect((await repos.jobs.listForHealth(0, 10)).map((j) => j.id)).toEqual([job.id]);
    });

    it('records health changes in one batch, each once (compare-and-set on the value read), and lists by it', async () => {
      const job = await newJob('Health');
      const other = await newJob('Other');
      const when = at('2026-01-01T00:05:00Z');
      expect(await repos.jobs.recordHealth([], when)).toEqual([]);
      expect(
        await repos.jobs.recordHealth(
          [
            { jobId: job.id, from: 'new', to: 'late' },
            { jobId: other.id, from: 'new', to: 'up' },
          ],
          when,
        ),
      ).toEqual([
        { jobId: job.id, from: 'new', to: 'late' },
        { jobId: other.id, from: 'new', to: 'up' },
      ]);
      // A second recorder that read the same old values loses; in a mixed batch only the
      // change whose value read still holds is recorded.
      expect(
        await repos.jobs.recordHealth([{ jobId: job.id, from: 'new', to: 'late' }], when),
      ).toEqual([]);
      expect(await repos.jobs.findById(job.id)).toMatchObject({
        recordedHealth: 'late',
        healthChangedAt: when,
      });
      expect(
        await repos.jobs.recordHealth(
          [
            { jobId: other.id, from: 'new', to: 'down' },
            { jobId: job.id, from: 'late', to: 'down' },
            { jobId: 999_999, from: null, to: 'up' },
          ],
          when,
        ),
      ).toEqual([{ jobId: job.id, from: 'late', to: 'down' }]);
      const listed = (health: Array<'down' | 'late' | 'up'>) =>
        repos.jobs
          .list({ archived: 'all', health, sort: NEWEST, limit: 10 })
          .then((jobs) => jobs.map((j) => j.id));
      expect(await listed(['down', 'late'])).toEqual([job.id]);
      expect(await listed(['up', 'down'])).toEqual([other.id, job.id]);
      expect(await listed(['late'])).toEqual([]);
    });

    it('lists for health only the jobs whose health may differ from the one recorded, by id pages', async () => {
      const scheduled = (name: string) =>
        repos.jobs.create({
          projectId: 1,
          key: deriveJobKey(name),
          name,
          description: null,
          type: null,
          schedule: '*/5 * * * *',
          now: at('2026-01-01T00:00:00Z'),
        });
      const finish = async (jobId: number, status: 'SUCCESS' | 'FAILED') => {
        const run = await createRun({
          jobId,
          status: 'RUNNING',
          createdAt: at('2026-01-01T00:01:00Z'),
          startedAt: at('2026-01-01T00:01:00Z'),
          metadata: null,
        });
        await repos.runs.updateIf(
          run.id,
          { statuses: ['RUNNING'], startedAt: run.startedAt },
          { status, finishedAt: at('2026-01-01T00:01:01Z') },
        );
      };
      const idle = await newJob('Never ran'); // new, recorded new
      const ran = await newJob('Ran'); // up, recorded new
      await finish(ran.id, 'SUCCESS');
      const failed = await newJob('Failed'); // down, recorded new
      await finish(failed.id, 'FAILED');
      const timed = await scheduled('Every five minutes'); // moves with time: always read
      const archived = await scheduled('Archived'); // paused, recorded new
      await repos.jobs.update(archived.id, {
        archived: true,
        updatedAt: at('2026-01-02T00:00:00Z'),
      });
      const scheduledFailed = await scheduled('Scheduled, failed'); // down whatever the time
      await finish(scheduledFailed.id, 'FAILED');
      const ids = async (afterId = 0, limit = 10) =>
        (await repos.jobs.listForHealth(afterId, limit)).map((j) => j.id);
      expect(await ids()).toEqual([ran.id, failed.id, timed.id, archived.id, scheduledFailed.id]);
      expect(idle.recordedHealth).toBe('new');
      // Keyset pages by id.
      expect(await ids(0, 2)).toEqual([ran.id, failed.id]);
      expect(await ids(failed.id, 2)).toEqual([timed.id, archived.id]);
      expect(await ids(archived.id, 2)).toEqual([scheduledFailed.id]);
      // Once recorded, only the job whose health moves with time is still read.
      const when = at('2026-01-03T00:00:00Z');
      await repos.jobs.recordHealth(
        [
          { jobId: ran.id, from: 'new', to: 'up' },
          { jobId: failed.id, from: 'new', to: 'down' },
          { jobId: archived.id, from: 'new', to: 'paused' },
          { jobId: scheduledFailed.id, from: 'new', to: 'down' },
        ],
        when,
      );
      expect(await ids()).toEqual([timed.id]);
      // A run written makes its job's recorded health stale: it is read again.
      await finish(ran.id, 'FAILED');
      expect(await ids()).toEqual([ran.id, timed.id]);
    });

    it('records a late then down of one job in one batch, in order, each on the value before', async () => {
      const job = await newJob('Overdue');
      const when = at('2026-01-01T00:05:00Z');
      const steps = [
        { jobId: job.id, from: 'new', to: 'late' },
        { jobId: job.id, from: 'late', to: 'down' },
      ] as const;
      expect(await repos.jobs.recordHealth(steps, when)).toEqual(steps);
      expect(await repos.jobs.findById(job.id)).toMatchObject({ recordedHealth: 'down' });
      // A racing recorder that read `new` records neither step: the second's value is gone too.
      expect(await repos.jobs.recordHealth(steps, when)).toEqual([]);
    });

    it('lists the jobs written since a time whose health moves with time, oldest write first', async () => {
      const scheduled = async (name: string, now: string) =>
        repos.jobs.create({
          projectId: 1,
          key: deriveJobKey(name),
          name,
          description: null,
          type: null,
          schedule: '@hourly',
          now: at(now),
        });
      const old = await scheduled('Written before', '2026-01-01T00:00:00Z');
      const fresh = await scheduled('Written after', '2026-01-01T00:10:00Z');
      await newJob('Unscheduled'); // nothing to wait for
      const archived = await scheduled('Archived later', '2026-01-01T00:00:00Z');
      const changed = await scheduled('Changed later', '2026-01-01T00:00:00Z');
      await repos.jobs.update(archived.id, {
        archived: true,
        updatedAt: at('2026-01-01T00:20:00Z'),
      });
      await repos.jobs.update(changed.id, {
        graceSeconds: 30,
        updatedAt: at('2026-01-01T00:15:00Z'),
      });
      const written = async (since: string, limit = 10) =>
        (await repos.jobs.listWrittenForHealth(at(since), limit)).map((j) => j.id);
      expect(await written('2026-01-01T00:10:00Z')).toEqual([fresh.id, changed.id]);
      expect(await written('2026-01-01T00:10:00Z', 1)).toEqual([fresh.id]);
      expect(await written('2026-01-01T00:20:00Z')).toEqual([]);
      expect(old.id).not.toBe(fresh.id);
    });

    it('creates no run for a job that does not exist or is archived', async () => {
      const run = (jobId: number) =>
        repos.runs.createForActiveJob({
          jobId,
          status: 'PENDING',
          createdAt: at('2026-01-01T00:00:00Z'),
          startedAt: null,
          metadata: null,
        });
      expect(await run(999_999)).toBeNull();
      const job = await newJob('archived');
      await repos.jobs.update(job.id, { archived: true, updatedAt: at('2026-01-02T00:00:00Z') });
      expect(await run(job.id)).toBeNull();
      expect(await repos.runs.list({ jobId: job.id, sort: NEWEST, limit: 10 })).toEqual([]);
      await repos.jobs.update(job.id, { archived: false, updatedAt: at('2026-01-03T00:00:00Z') });
      expect(await run(job.id)).toMatchObject({ jobId: job.id, status: 'PENDING' });
    });

    it('updates a run only while it matches the expectation, deriving durationMs', async () => {
      const job = await newJob('A');
      const started = at('2026-01-01T00:00:01Z');
      const run = await runningSince(job, started);
      const done = await repos.runs.updateIf(
        run.id,
        { statuses: ['RUNNING'], startedAt: started },
        { status: 'FAILED', finishedAt: at('2026-01-01T00:00:03.500Z'), errorMessage: 'boom' },
      );
      expect(done).toMatchObject({ status: 'FAILED', durationMs: 2500, errorMessage: 'boom' });
      // The same expectation no longer matches: the run has moved on.
      expect(
        await repos.runs.updateIf(
          run.id,
          { statuses: ['RUNNING'], startedAt: started },
          { status: 'SUCCESS' },
        ),
      ).toBeNull();
      // A stale start time does not match either.
      expect(
        await repos.runs.updateIf(
          run.id,
          { statuses: ['FAILED'], startedAt: null },
          { metadata: { a: 1 } },
        ),
      ).toBeNull();
      expect(
        await repos.runs.updateIf(
          999_999,
          { statuses: ['RUNNING'], startedAt: null },
          { status: 'SUCCESS' },
        ),
      ).toBeNull();
      expect(await repos.runs.findById(run.id)).toEqual(done);
    });

    it('finishing sets slow over 3x the p95 of the last 50 finished runs (from 10 on)', async () => {
      const job = await newJob('Slow');
      let t = at('2026-01-01T01:00:00Z').getTime();
      /** A run started at t and finished `ms` later, in one update that also sets startedAt. */
      const finish = async (ms: number, status: 'SUCCESS' | 'FAILED' = 'SUCCESS') => {
        const created = new Date((t += 3_600_000));
        const run = await createRun({
          jobId: job.id,
          status: 'PENDING',
          createdAt: created,
          startedAt: null,
          metadata: null,
        });
        const done = await repos.runs.updateIf(
          run.id,
          { statuses: ['PENDING'], startedAt: null },
          { status, startedAt: created, finishedAt: new Date(created.getTime() + ms) },
        );
        expect(done).toMatchObject({ durationMs: ms });
        return done!.slow;
      };
      // The sample is the newest 50 finished runs: 60 long ones first are forgotten.
      for (let i = 0; i < 60; i++) expect(await finish(i < 9 ? 500_000 : 100_000)).toBe(false);
      for (let i = 0; i < 50; i++) expect(await finish(1000)).toBe(false);
      expect(await finish(3000)).toBe(false);
      expect(await finish(3001, 'FAILED')).toBe(true);
      const created = await createRun({
        jobId: job.id,
        status: 'PENDING',
        createdAt: new Date((t += 3_600_000)),
        startedAt: null,
        metadata: null,
      });
      const cancelled = await repos.runs.updateIf(
        created.id,
        { statuses: ['PENDING'], startedAt: null },
        { status: 'CANCELLED', finishedAt: new Date(t + 1) },
      );
      expect(cancelled).toMatchObject({ durationMs: null, slow: false });
      const page = await repos.runs.list({
        jobId: job.id,
        sort: { field: 'createdAt', descending: true },
        limit: 3,
      });
      expect(page.map((r) => r.slow)).toEqual([false, true, false]);
    });

    it("lists one job's runs newest first with keyset windows", async () => {
      const a = await newJob('A');
      const b = await newJob('B');
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) {
        ids.push(
          (
            await createRun({
              jobId: a.id,
              status: 'PENDING',
              createdAt: at('2026-01-01T00:00:00Z'),
              startedAt: null,
              metadata: null,
            })
          ).id,
        );
        await createRun({
          jobId: b.id,
          status: 'PENDING',
          createdAt: at('2026-01-01T00:00:00Z'),
          startedAt: null,
          metadata: null,
        });
      }
      expect(
        (await repos.runs.list({ jobId: a.id, sort: NEWEST, limit: 10 })).map((r) => r.id),
      ).toEqual([...ids].reverse());
      expect(
        (
          await repos.runs.list({
            jobId: a.id,
            sort: NEWEST,
            limit: 2,
            after: { key: at('2026-01-01T00:00:00Z').getTime(), id: ids[2]! },
          })
        ).map((r) => r.id),
      ).toEqual([ids[1], ids[0]]);
      expect(await repos.runs.list({ jobId: 999_999, sort: NEWEST, limit: 10 })).toEqual([]);
    });
  });
}
