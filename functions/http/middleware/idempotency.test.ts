import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/access.js';
import type { JobCreateInput } from '../../../shared/inputs.js';
import { middlewareTestApp } from '../../../test/support/middleware-app.js';
import { jobJson } from '../jobs/presenters.js';
import { validationProblem } from '../problem.js';
import { idempotencyKey, JOB_CREATION } from './idempotency.js';

/**
 * `POST /api/jobs` reduced to what the middleware meets: the caller (`X-Test-Key` stands in for
 * `authenticate()`), the route's own 400 for a job without a name, and the creation that takes
 * the reservation so its record commits with the job, over SQLite in memory.
 */
function jobsApp() {
  const { app, services } = middlewareTestApp();
  app.use(async function principalOfTestKey(c, next) {
    const keyId = Number(c.req.header('X-Test-Key') ?? 1);
    const principal: Principal = { keyId, name: 'k', scope: 'write', projectId: null };
    c.set('principal', principal);
    await next();
  });
  app.post('/api/jobs', idempotencyKey(JOB_CREATION), async (c) => {
    const body = await c.req.json<Partial<JobCreateInput>>();
    if (typeof body.name !== 'string')
      return validationProblem(c, 'Invalid request body.', [{ path: 'name', message: 'Required' }]);
    const { jobs, now, links } = c.get('services');
    const job = await jobs.create(body as JobCreateInput, null, c.get('idempotency'));
    c.header('Location', `/api/jobs/${job.id}`);
    return c.json(jobJson(job, 'write', now(), links), 201);
  });
  const jobCount = async () => (await services.jobs.list({ limit: 100 }, null)).data.length;
  return { app, jobCount };
}

const create = (key: string | undefined, body: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body,
  headers: {
    'Content-Type': 'application/json',
    ...(key === undefined ? {} : { 'Idempotency-Key': key }),
    ...headers,
  },
});

describe('idempotencyKey', () => {
  it('replays the first response to a retry: same status, body and Location; one job', async () => {
    const { app, jobCount } = jobsApp();
    const first = await app.request('/api/jobs', create('k-1', '{"name":"backup"}'));
    const retry = await app.request('/api/jobs', create('k-1', '{"name":"backup"}'));

    expect(first.status).toBe(201);
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(retry.headers.get('Location')).toBe(first.headers.get('Location'));
    expect(await retry.text()).toBe(await first.text());
    expect(await jobCount()).toBe(1);
  });

  it('takes a body with its keys in another order and other spacing for the same request', async () => {
    const { app, jobCount } = jobsApp();
    await app.request('/api/jobs', create('k-1', '{"name":"backup","type":"cron"}'));
    const retry = await app.request(
      '/api/jobs',
      create('k-1', '{ "type": "cron", "name": "backup" }'),
    );

    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await jobCount()).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED to the same key with another body, and keeps the key', async () => {
    const { app, jobCount } = jobsApp();
    const first = await app.request('/api/jobs', create('k-1', '{"name":"backup"}'));
    const other = await app.request('/api/jobs', create('k-1', '{"name":"restore"}'));
    const retry = await app.request('/api/jobs', create('k-1', '{"name":"backup"}'));

    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(retry.headers.get('Location')).toBe(first.headers.get('Location'));
    expect(await jobCount()).toBe(1);
  });

  it("replays the route's own 4xx answer, the first request's id in its body", async () => {
    const { app, jobCount } = jobsApp();
    await app.request('/api/jobs', create(undefined, '{"name":"backup","key":"backup"}'));
    const taken = await app.request(
      '/api/jobs',
      create('k-1', '{"name":"other","key":"backup"}', { 'X-Request-Id': 'first' }),
    );
    const retry = await app.request(
      '/api/jobs',
      create('k-1', '{"name":"other","key":"backup"}', { 'X-Request-Id': 'second' }),
    );

    expect(taken.status).toBe(409);
    expect(retry.status).toBe(409);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(retry.headers.get('Location')).toBeNull();
    expect(await retry.json()).toMatchObject({ code: 'JOB_KEY_TAKEN', requestId: 'first' });
    expect(await jobCount()).toBe(1);
  });

  it('forgets a request refused with 400, so its fix may use the same key', async () => {
    const { app, jobCount } = jobsApp();
    const refused = await app.request('/api/jobs', create('k-1', '{}'));
    const fixed = await app.request('/api/jobs', create('k-1', '{"name":"backup"}'));

    expect(refused.status).toBe(400);
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('Idempotent-Replayed')).toBeNull();
    expect(await jobCount()).toBe(1);
  });

  it('keeps keys apart per caller: the same key from another API key creates anew', async () => {
    const { app, jobCount } = jobsApp();
    await app.request('/api/jobs', create('k-1', '{"name":"backup"}', { 'X-Test-Key': '1' }));
    const other = await app.request(
      '/api/jobs',
      create('k-1', '{"name":"backup"}', { 'X-Test-Key': '2' }),
    );

    expect(other.headers.get('Idempotent-Replayed')).toBeNull();
    expect(await jobCount()).toBe(2);
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(256)],
    ['not printable ASCII', 'clé'],
  ])('answers 400 naming the header to a key that is %s', async (_, key) => {
    const { app, jobCount } = jobsApp();
    const response = await app.request('/api/jobs', create(key, '{"name":"backup"}'));

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ path: 'Idempotency-Key' })],
    });
    expect(await jobCount()).toBe(0);
  });

  it('without the header, each request creates', async () => {
    const { app, jobCount } = jobsApp();
    await app.request('/api/jobs', create(undefined, '{"name":"backup"}'));
    await app.request('/api/jobs', create(undefined, '{"name":"backup"}'));

    expect(await jobCount()).toBe(2);
  });
});
