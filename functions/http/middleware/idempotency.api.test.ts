import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver, type ApiHarness } from '../../../test/api/every-driver.js';
import type { JobRunRepository } from '../../../shared/repositories.js';
import { client, clientWithNewKey, type Client } from '../../../test/support/client.js';
import { expectProblem } from '../../../test/api/expect-problem.js';

const HOUR = 3_600_000;
const newKey = () => `test-${crypto.randomUUID()}`;
const keyed = (key: string, headers: Record<string, string> = {}) => ({
  headers: { 'Idempotency-Key': key, ...headers },
});

/** A clock the test moves by hand. */
function manualClock(start: string) {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance: (ms: number) => (now += ms),
  };
}

/**
 * The runs store, but every create waits at the door until `open()`: a request held in flight
 * after its key was reserved, as a slow (or dead) process would leave it.
 */
function heldRuns(runs: JobRunRepository) {
  let open!: () => void;
  let entered!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (entered = resolve));
  const store = new Proxy(runs, {
    get(target, property, receiver) {
      if (property === 'createForActiveJob') {
        return async (...args: Parameters<JobRunRepository['createForActiveJob']>) => {
          entered();
          await opened;
          return target.createForActiveJob(...args);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store, reached, open: () => open() };
}

describeOnEveryDriver((getHarness) => {
  describe('Idempotency-Key', () => {
    let harness: ApiHarness;
    let api: Client;
    let jobId: number;
    const runsOf = async (id: number) =>
      (await api.get(`/api/jobs/${id}/runs?limit=200`)).body.data as Array<{ id: number }>;

    beforeAll(async () => {
      harness = getHarness();
      api = client(harness.target);
      jobId = (await api.job('Idempotency suite')).id;
    });

    it('replays the first response to a retry: same status, body and Location, one run', async () => {
      const key = newKey();
      const before = (await runsOf(jobId)).length;
      const first = await api.call('POST', `/api/jobs/${jobId}/runs`, {
        ...keyed(key),
        json: { status: 'RUNNING', metadata: { host: 'a', attempt: 1 } },
      });
      expect(first.status, first.text).toBe(201);
      expect(first.headers.get('Idempotent-Replayed')).toBeNull();

      // The same request, serialised in another key order and spacing, later: the same answer.
      await api.patch(`/api/runs/${first.body.id}`, { status: 'SUCCESS' });
      const retry = await api.call('POST', `/api/jobs/${jobId}/runs`, {
        ...keyed(key, { 'Content-Type': 'application/json' }),
        body: '{ "metadata": { "attempt": 1, "host": "a" }, "status": "RUNNING" }',
      });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
      expect(retry.text).toBe(first.text);
      expect(retry.headers.get('Location')).toBe(first.headers.get('Location'));
      expect(retry.headers.get('Content-Type')).toMatch(/^application\/json/);
      expect(await runsOf(jobId)).toHaveLength(before + 1);
    });

    it('replays a job creation, and keeps working after it', async () => {
      const key = newKey();
      const name = `idempotent job ${key}`;
      const first = await api.post('/api/jobs', { name }, keyed(key));
      const retry = await api.post('/api/jobs', { name }, keyed(key));
      expect([first.status, retry.status]).toEqual([201, 201]);
      expect(retry.text).toBe(first.text);
      expect(retry.headers.get('Location')).toBe(`/api/jobs/${first.body.id}`);
      const listed = await api.get(`/api/jobs?q=${encodeURIComponent(key)}`);
      expect(listed.body.data).toHaveLength(1);
    });

    it('a job whose derived key is taken is created under the next one, once; a taken key given is a replayed 409', async () => {
      const name = `Idempotent ${crypto.randomUUID().slice(0, 8)}`;
      const first = await api.job(name);
      const key = newKey();
      const second = await api.post('/api/jobs', { name }, keyed(key));
      expect(second.status).toBe(201);
      expect(second.body.key).toBe(`${(first as unknown as { key: string }).key}-2`);
      const retry = await api.post('/api/jobs', { name }, keyed(key));
      expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
      expect(retry.text).toBe(second.text);
      expect((await api.get(`/api/jobs?q=${encodeURIComponent(name)}`)).body.data).toHaveLength(2);

      const takenKey = newKey();
      const taken = { name: 'taken', key: second.body.key };
      expectProblem(await api.post('/api/jobs', taken, keyed(takenKey)), 409, 'JOB_KEY_TAKEN');
      const again = await api.post('/api/jobs', taken, keyed(takenKey));
      expect(again.status).toBe(409);
      expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    });

    it('the same key with another body, path or method is 422 IDEMPOTENCY_KEY_REUSED', async () => {
      const key = newKey();
      expect((await api.post(`/api/jobs/${jobId}/runs`, {}, keyed(key))).status).toBe(201);
      const before = (await runsOf(jobId)).length;
      const otherBody = await api.post(
        `/api/jobs/${jobId}/runs`,
        { status: 'RUNNING' },
        keyed(key),
      );
      expectProblem(otherBody, 422, 'IDEMPOTENCY_KEY_REUSED');
      const otherJob = (await api.job('Idempotency other job')).id;
      expectProblem(
        await api.post(`/api/jobs/${otherJob}/runs`, {}, keyed(key)),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expectProblem(
        await api.post('/api/jobs', { name: 'reuse' }, keyed(key)),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await runsOf(jobId)).toHaveLength(before);
      expect(await runsOf(otherJob)).toHaveLength(0);
    });

    it('a request while the first with its key is in flight is 409 with Retry-After', async () => {
      const held = heldRuns(harness.stores().runs);
      const slow = client(harness.appWith({ runs: held.store }));
      const key = newKey();
      const first = slow.post(`/api/jobs/${jobId}/runs`, {}, keyed(key));
      await held.reached;

      const during = await api.post(`/api/jobs/${jobId}/runs`, {}, keyed(key));
      expectProblem(during, 409, 'IDEMPOTENCY_KEY_IN_FLIGHT');
      expect(during.headers.get('Retry-After')).toBe('1');
      // Another body is still 422: the key belongs to that request, finished or not.
      expectProblem(
        await api.post(`/api/jobs/${jobId}/runs`, { status: 'RUNNING' }, keyed(key)),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );

      held.open();
      const answered = await first;
      expect(answered.status).toBe(201);
      const after = await api.post(`/api/jobs/${jobId}/runs`, {}, keyed(key));
      expect(after.headers.get('Idempotent-Replayed')).toBe('true');
      expect(after.text).toBe(answered.text);
    });

    it('20 concurrent identical requests create exactly one run', async () => {
      const job = (await api.job('Idempotency burst')).id;
      const key = newKey();
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          api.post(`/api/jobs/${job}/runs`, { metadata: { burst: true } }, keyed(key)),
        ),
      );
      const created = results.filter(
        (r) => r.status === 201 && r.headers.get('Idempotent-Replayed') === null,
      );
      expect(created, results.map((r) => r.status).join(',')).toHaveLength(1);
      for (const result of results) {
        if (result === created[0]) continue;
        if (result.status === 409) {
          expectProblem(result, 409, 'IDEMPOTENCY_KEY_IN_FLIGHT');
        } else {
          expect(result.status).toBe(201);
          expect(result.headers.get('Idempotent-Replayed')).toBe('true');
          expect(result.text).toBe(created[0]!.text);
        }
      }
      expect(await runsOf(job)).toEqual([expect.objectContaining({ id: created[0]!.body.id })]);
    });

    it('POST /api/jobs/by-key/{key}/runs: 20 identical first reports create one job and one run', async () => {
      const jobKey = `idem-${crypto.randomUUID().slice(0, 8)}`;
      const key = newKey();
      const path = `/api/jobs/by-key/${jobKey}/runs`;
      const results = await Promise.all(
        Array.from({ length: 20 }, () => api.post(path, { status: 'RUNNING' }, keyed(key))),
      );
      const created = results.filter(
        (r) => r.status === 201 && r.headers.get('Idempotent-Replayed') === null,
      );
      expect(created, results.map((r) => r.status).join(',')).toHaveLength(1);
      for (const result of results) {
        if (result === created[0]) continue;
        if (result.status === 409) expectProblem(result, 409, 'IDEMPOTENCY_KEY_IN_FLIGHT');
        else expect(result.text).toBe(created[0]!.text);
      }
      const retry = await api.post(path, { status: 'RUNNING' }, keyed(key));
      expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
      expect(retry.headers.get('Location')).toBe(`/api/runs/${created[0]!.body.id}`);
      expect(retry.text).toBe(created[0]!.text);
      expect((await api.get(`${path}?limit=200`)).body.data).toHaveLength(1);
      // The same key on the job's numeric path is another request.
      expectProblem(
        await api.post(
          `/api/jobs/${created[0]!.body.jobId}/runs`,
          { status: 'RUNNING' },
          keyed(key),
        ),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
    });

    it('keys belong to their principal: the same key from other API keys never collides', async () => {
      const job = (await api.job('Idempotency principals')).id;
      const key = newKey();
      const one = (await clientWithNewKey(api, harness.target, { scope: 'write' })).api;
      const two = (await clientWithNewKey(api, harness.target, { scope: 'admin' })).api;
      const answers = await Promise.all(
        [api, one, two].map((caller, i) =>
          caller.post(`/api/jobs/${job}/runs`, { metadata: { caller: i } }, keyed(key)),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(3);
      const again = await one.post(
        `/api/jobs/${job}/runs`,
        { metadata: { caller: 1 } },
        keyed(key),
      );
      expect(again.text).toBe(answers[1]!.text);
      expect(await runsOf(job)).toHaveLength(3);
    });

    it('with AUTH=off, keys belong to the client address', async () => {
      const key = newKey();
      const open = harness.appWith({
        auth: false,
        clientAddress: (c) => c.req.header('X-Test-Client') ?? 'unknown',
      });
      const from = (address: string) =>
        client(open, null).post(
          `/api/jobs/${jobId}/runs`,
          {},
          keyed(key, { 'X-Test-Client': address }),
        );
      const [a, b, again] = [
        await from('10.0.0.1'),
        await from('10.0.0.2'),
        await from('10.0.0.1'),
      ];
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body.id).not.toBe(a.body.id);
      expect(again.headers.get('Idempotent-Replayed')).toBe('true');
      expect(again.text).toBe(a.text);
    });

    it('keys expire after 24 h: then the same key creates anew, and expired rows are deleted', async () => {
      const clock = manualClock('2100-01-01T00:00:00Z');
      const later = client(harness.appWith({ now: clock.now }));
      const key = newKey();
      const send = () => later.post(`/api/jobs/${jobId}/runs`, {}, keyed(key));
      const first = await send();
      expect(first.status).toBe(201);

      clock.advance(24 * HOUR - 1);
      const replayed = await send();
      expect(replayed.headers.get('Idempotent-Replayed')).toBe('true');
      expect(replayed.body.id).toBe(first.body.id);

      clock.advance(1);
      const renewed = await send();
      expect(renewed.status).toBe(201);
      expect(renewed.headers.get('Idempotent-Replayed')).toBeNull();
      expect(renewed.body.id).not.toBe(first.body.id);
      // The expired row was replaced, not added to: the key now replays the new run.
      expect((await send()).body.id).toBe(renewed.body.id);

      const records = harness.stores().idempotencyKeys;
      const stillThere = new Date('2100-01-01T12:00:00Z');
      expect(await records.find('admin', key, stillThere)).not.toBeNull();
      clock.advance(25 * HOUR);
      let deleted = 0;
      for (let round = 0; round < 50; round++) {
        const n = await records.deleteExpired(clock.now(), 200);
        deleted += n;
        if (n < 200) break;
      }
      expect(deleted).toBeGreaterThan(0);
      expect(await records.find('admin', key, stillThere)).toBeNull();
    });

    it('a reservation left in flight (its process died) is taken over after its lease', async () => {
      const clock = manualClock('2101-01-01T00:00:00Z');
      const held = heldRuns(harness.stores().runs);
      const dying = client(harness.appWith({ runs: held.store, now: clock.now }));
      const retrying = client(harness.appWith({ now: clock.now }));
      const job = (await api.job('Idempotency lease')).id;
      const key = newKey();
      const send = (caller: Client) => caller.post(`/api/jobs/${job}/runs`, {}, keyed(key));

      const abandoned = send(dying);
      await held.reached;
      clock.advance(30_000);
      expectProblem(await send(retrying), 409, 'IDEMPOTENCY_KEY_IN_FLIGHT');

      clock.advance(31_000);
      const takenOver = await send(retrying);
      expect(takenOver.status, takenOver.text).toBe(201);
      expect(takenOver.headers.get('Idempotent-Replayed')).toBeNull();

      // The first request wakes up: its reservation is gone, so it creates nothing.
      held.open();
      expectProblem(await abandoned, 409, 'IDEMPOTENCY_KEY_IN_FLIGHT');
      expect(await runsOf(job)).toEqual([expect.objectContaining({ id: takenOver.body.id })]);
      expect((await send(retrying)).text).toBe(takenOver.text);
    });

    it('a run committed whose response was never stored is replayed from the run itself', async () => {
      // The process stops after the run and its record committed, before the body was stored.
      const stores = harness.stores();
      const records = new Proxy(stores.idempotencyKeys, {
        get(target, property, receiver) {
          if (property === 'finish') return async () => Promise.reject(new Error('process died'));
          const value = Reflect.get(target, property, receiver) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const dying = client(harness.appWith({ idempotencyKeys: records }));
      const job = (await api.job('Idempotency no body')).id;
      const key = newKey();
      const first = await dying.post(`/api/jobs/${job}/runs`, { status: 'RUNNING' }, keyed(key));
      expect(first.status).toBe(201);
      // A newer run elsewhere: the record names its own run, not the latest one.
      await api.run(jobId);
      const retry = await api.post(`/api/jobs/${job}/runs`, { status: 'RUNNING' }, keyed(key));
      expect(retry.status).toBe(201);
      expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
      expect(retry.headers.get('Location')).toBe(`/api/runs/${first.body.id}`);
      expect(retry.body).toEqual(first.body);
      expect(await runsOf(job)).toHaveLength(1);

      const jobKey = newKey();
      const job1 = await dying.post('/api/jobs', { name: `no body ${jobKey}` }, keyed(jobKey));
      const job2 = await api.post('/api/jobs', { name: `no body ${jobKey}` }, keyed(jobKey));
      expect(job2.headers.get('Idempotent-Replayed')).toBe('true');
      expect(job2.body).toEqual(job1.body);
    });

    it('4xx answers of the route are replayed; a refused request (400) keeps the key free', async () => {
      const key = newKey();
      const missing = await api.post('/api/jobs/999999999/runs', {}, keyed(key));
      expectProblem(missing, 404, 'JOB_NOT_FOUND');
      const again = await api.post('/api/jobs/999999999/runs', {}, keyed(key));
      expect(again.status).toBe(404);
      expect(again.headers.get('Idempotent-Replayed')).toBe('true');
      expect(again.text).toBe(missing.text);
      expect(again.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);

      const archived = (await api.job('Idempotency archived')).id;
      await api.patch(`/api/jobs/${archived}`, { archived: true });
      const refusedKey = newKey();
      expectProblem(
        await api.post(`/api/jobs/${archived}/runs`, {}, keyed(refusedKey)),
        409,
        'JOB_ARCHIVED',
      );
      await api.patch(`/api/jobs/${archived}`, { archived: false });
      const stillArchived = await api.post(`/api/jobs/${archived}/runs`, {}, keyed(refusedKey));
      expect(stillArchived.status).toBe(409);
      expect(stillArchived.headers.get('Idempotent-Replayed')).toBe('true');

      const fixable = newKey();
      expectProblem(
        await api.post(`/api/jobs/${jobId}/runs`, { status: 'DONE' }, keyed(fixable)),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await api.post('/api/jobs', { name: '' }, keyed(fixable)),
        400,
        'VALIDATION_FAILED',
      );
      const fixed = await api.post(`/api/jobs/${jobId}/runs`, {}, keyed(fixable));
      expect(fixed.status).toBe(201);
      expect(fixed.headers.get('Idempotent-Replayed')).toBeNull();
    });

    it('a malformed header is a 400 before anything else, and creates nothing', async () => {
      const job = (await api.job('Idempotency header')).id;
      const cases = ['', 'x'.repeat(256), 'tab\there', 'del\u007f', '"unterminated', '""'];
      for (const value of cases) {
        const res = await api.post(`/api/jobs/${job}/runs`, {}, keyed(value));
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }]);
      }
      // Even when the body is also wrong: the header is judged first.
      const both = await api.post(`/api/jobs/${job}/runs`, { status: 'DONE' }, keyed(''));
      expect(both.body.errors[0].path).toBe('Idempotency-Key');
      expect(await runsOf(job)).toHaveLength(0);

      // 255 characters is the limit; the draft's quoted form names the same key as the bare one.
      const longest = 'k'.repeat(255);
      expect((await api.post(`/api/jobs/${job}/runs`, {}, keyed(longest))).status).toBe(201);
      const bare = newKey();
      const quoted = await api.post(`/api/jobs/${job}/runs`, {}, keyed(`"${bare}"`));
      const unquoted = await api.post(`/api/jobs/${job}/runs`, {}, keyed(bare));
      expect(unquoted.headers.get('Idempotent-Replayed')).toBe('true');
      expect(unquoted.text).toBe(quoted.text);
    });

    it('a POST without the header is not affected', async () => {
      const job = (await api.job('Idempotency none')).id;
      const [a, b] = [
        await api.post(`/api/jobs/${job}/runs`),
        await api.post(`/api/jobs/${job}/runs`),
      ];
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.headers.get('Idempotent-Replayed')).toBeNull();
      expect(await runsOf(job)).toHaveLength(2);
    });
  });
});
