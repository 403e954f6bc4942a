import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../test/api/every-driver.js';
import { client, type Client } from '../../test/support/client.js';
import { expectProblem } from '../../test/api/expect-problem.js';

describeOnEveryDriver((getHarness) => {
  describe('errors', () => {
    let api: Client;
    let jobId: number;
    let runId: number;
    beforeAll(async () => {
      api = client(getHarness().target);
      jobId = (await api.job('Errors suite')).id;
      runId = (await api.run(jobId, { status: 'RUNNING' })).id;
    });

    it('400 for malformed JSON', async () => {
      const res = await api.call('POST', '/api/jobs', {
        body: '{"name": ',
        headers: { 'Content-Type': 'application/json' },
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ path: '(root)', message: expect.stringMatching(/JSON/) }]);
    });

    it.each([
      ['a missing name', {}, 'name'],
      ['an empty name', { name: '   ' }, 'name'],
      ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name'],
      ['a name of the wrong type', { name: 42 }, 'name'],
      ['an unknown field', { name: 'ok', owner: 'me' }, '(root)'],
      ['a body that is not an object', ['name'], '(root)'],
      ['null', null, '(root)'],
    ])('400 with field errors for %s', async (_name, body, path) => {
      const res = await api.post('/api/jobs', body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ path, message: expect.any(String) })]),
      );
    });

    it.each([
      ['an unknown status', { status: 'DONE' }],
      ['a lowercase status', { status: 'running' }],
      ['a non-ISO timestamp', { status: 'SUCCESS', finishedAt: 'yesterday' }],
      ['metadata that is not an object', { metadata: [1, 2] }],
      ['an unknown field', { state: 'RUNNING' }],
      ['errorMessage of the wrong type', { status: 'FAILED', errorMessage: 7 }],
    ])('PATCH /runs/:id: 400 for %s', async (_name, body) => {
      expectProblem(await api.patch(`/api/runs/${runId}`, body), 400, 'VALIDATION_FAILED');
    });

    it('400 naming the limit for metadata nested deeper than 32 levels, which JSON.stringify cannot store', async () => {
      // 4,500 levels is 27 KB, inside the body limit, and past the stack JSON.stringify has.
      const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      const tooDeep = `{"metadata":${nested(4_500)}}`;
      const json = { 'Content-Type': 'application/json' };
      const before = await api.get(`/api/runs/${runId}`);
      const runsBefore = (await api.get(`/api/jobs/${jobId}/runs?limit=100`)).body.data.length;
      for (const [method, path] of [
        ['POST', `/api/jobs/${jobId}/runs`],
        ['PATCH', `/api/runs/${runId}`],
        ['POST', '/api/jobs/by-key/errors-suite-deep/runs'],
      ] as const) {
        const res = await api.call(method, path, { body: tooDeep, headers: json });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors).toEqual([
          { path: 'metadata', message: 'must be nested at most 32 levels deep' },
        ]);
      }
      expect((await api.get(`/api/runs/${runId}`)).body).toEqual(before.body);
      expect((await api.get(`/api/jobs/${jobId}/runs?limit=100`)).body.data).toHaveLength(
        runsBefore,
      );
      expect((await api.get('/api/jobs/by-key/errors-suite-deep')).status).toBe(404);

      const deepest = { metadata: JSON.parse(nested(32)) as Record<string, unknown> };
      const accepted = await api.patch(`/api/runs/${runId}`, deepest);
      expect(accepted.status).toBe(200);
      expect(accepted.body.metadata).toEqual(deepest.metadata);
    });

    it('POST /jobs/:id/runs: 400 for a status a run cannot start in', async () => {
      expectProblem(
        await api.post(`/api/jobs/${jobId}/runs`, { status: 'SUCCESS' }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it.each(['abc', '0', '-1', '1.5', '1e3', '99999999999999999999', '9007199254740993', '%20'])(
      '400 for the id %s',
      async (id) => {
        expectProblem(await api.get(`/api/jobs/${id}`), 400, 'VALIDATION_FAILED');
        expectProblem(await api.get(`/api/runs/${id}`), 400, 'VALIDATION_FAILED');
        expectProblem(await api.get(`/api/jobs/${id}/runs`), 400, 'VALIDATION_FAILED');
      },
    );

    it.each(['0', '201', '-5', 'ten', '1.5', ''])('400 for limit=%s', async (limit) => {
      expectProblem(await api.get(`/api/jobs?limit=${limit}`), 400, 'VALIDATION_FAILED');
      expectProblem(
        await api.get(`/api/jobs/${jobId}/runs?limit=${limit}`),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('accepts the limit bounds 1 and 200', async () => {
      expect((await api.get('/api/jobs?limit=1')).status).toBe(200);
      expect((await api.get('/api/jobs?limit=200')).status).toBe(200);
    });

    it.each([
      'garbage',
      'eyJ2IjoxLCJpZCI6LTF9', // {"v":1,"id":-1}
      'eyJ2IjoxLCJpZCI6IjEifQ', // {"v":1,"id":"1"}
      'W10', // []
      '',
      'x'.repeat(600),
    ])('400 for the cursor %s', async (cursor) => {
      const res = await api.get(`/api/jobs?cursor=${cursor}`);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expectProblem(
        await api.get(`/api/jobs/${jobId}/runs?cursor=${cursor}`),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('400 for unknown or repeated query parameters and a bad archived filter', async () => {
      expectProblem(await api.get('/api/jobs?limt=10'), 400, 'VALIDATION_FAILED');
      expectProblem(await api.get('/api/jobs?limit=1&limit=2'), 400, 'VALIDATION_FAILED');
      expectProblem(await api.get('/api/jobs?archived=yes'), 400, 'VALIDATION_FAILED');
    });

    it('404 for unknown routes', async () => {
      expectProblem(await api.get('/nope'), 404);
      expectProblem(await api.get('/api/jobs/1/nope'), 404);
      expectProblem(await api.get('/api/jobs/'), 404);
    });

    it('405 with Allow for a wrong method on a known path', async () => {
      const res = await api.call('DELETE', `/api/jobs/${jobId}`);
      expectProblem(res, 405);
      expect(res.headers.get('Allow')).toBe('GET, HEAD, PATCH');
      expect((await api.call('PUT', '/api/jobs')).headers.get('Allow')).toBe('GET, HEAD, POST');
      expectProblem(await api.call('POST', `/api/runs/${runId}`), 405);
      expectProblem(await api.call('DELETE', '/health'), 405);
    });

    it("413 for a body over 64 KiB (512 KiB for a run's PATCH, which carries output)", async () => {
      const res = await api.post('/api/jobs', { name: 'big', description: 'x'.repeat(70 * 1024) });
      expectProblem(res, 413);
      const created = await api.post(`/api/jobs/${jobId}/runs`, {
        metadata: { blob: 'x'.repeat(65 * 1024) },
      });
      expectProblem(created, 413);
      const run = await api.patch(`/api/runs/${runId}`, {
        metadata: { blob: 'x'.repeat(513 * 1024) },
      });
      expectProblem(run, 413);
    });

    it('a body just under 64 KiB is validated, not refused', async () => {
      const res = await api.post(`/api/jobs/${jobId}/runs`, {
        metadata: { blob: 'x'.repeat(60 * 1024) },
      });
      expect(res.status).toBe(201);
    });

    it('415 for a body that is not JSON', async () => {
      expectProblem(
        await api.call('POST', '/api/jobs', {
          body: 'name=x',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
        415,
      );
      expectProblem(
        await api.call('POST', '/api/jobs', {
          body: '{"name":"x"}',
          headers: { 'Content-Type': 'text/plain' },
        }),
        415,
      );
      expectProblem(
        await api.call('PATCH', `/api/runs/${runId}`, {
          body: 'x',
          headers: { 'Content-Type': 'text/plain' },
        }),
        415,
      );
      expectProblem(
        await api.call('POST', `/api/jobs/${jobId}/runs`, {
          body: 'x',
          headers: { 'Content-Type': 'text/plain' },
        }),
        415,
      );
    });

    it('a 415 says what to send, and what came instead', async () => {
      const form = await api.call('POST', '/api/jobs', {
        body: 'name=x',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expectProblem(form, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(form.body.detail).toBe(
        'The request body must be JSON, sent with `Content-Type: application/json`; ' +
          "this request's Content-Type is `application/x-www-form-urlencoded`.",
      );
      // Bytes, so fetch adds no Content-Type of its own (a string gets text/plain).
      const bare = await api.call('POST', `/api/jobs/${jobId}/runs`, {
        body: new TextEncoder().encode('{}'),
      });
      expectProblem(bare, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(bare.body.detail).toBe(
        'The request body must be JSON, sent with `Content-Type: application/json`; ' +
          'this request has a body but no Content-Type.',
      );
    });

    it('accepts a JSON content type with a charset', async () => {
      const res = await api.call('POST', '/api/jobs', {
        body: '{"name":"charset"}',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      });
      expect(res.status).toBe(201);
    });

    it('echoes a valid X-Request-Id and replaces an invalid one', async () => {
      const echoed = await api.get('/health', { headers: { 'X-Request-Id': 'ci-run-42_step=1' } });
      expect(echoed.headers.get('X-Request-Id')).toBe('ci-run-42_step=1');
      const replaced = await api.get('/health', {
        headers: { 'X-Request-Id': 'bad id with spaces' },
      });
      expect(replaced.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
      const generated = await api.get('/nope');
      expect(generated.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('never answers malformed input with a 5xx', async () => {
      const bodies = [
        '',
        ' ',
        'null',
        'true',
        '0',
        '"x"',
        '[]',
        '[{}]',
        '{',
        '}',
        '{"name":null}',
        '{"__proto__":{"x":1}}',
        '{"constructor":{"prototype":{}}}',
        '{"name":"\\ud800"}',
        '{"metadata":{"a":' + '['.repeat(500) + ']'.repeat(500) + '}}',
        '{"status":["RUNNING"]}',
        '{"startedAt":1e400}',
        '\u0000',
        '\xff\xfe',
      ];
      const targets: Array<[string, string]> = [
        ['POST', '/api/jobs'],
        ['PATCH', `/api/jobs/${jobId}`],
        ['POST', `/api/jobs/${jobId}/runs`],
        ['PATCH', `/api/runs/${runId}`],
      ];
      for (const [method, path] of targets) {
        for (const body of bodies) {
          const res = await api.call(method, path, {
            body,
            headers: { 'Content-Type': 'application/json' },
          });
          expect(
            res.status,
            `${method} ${path} ${JSON.stringify(body)} → ${res.text}`,
          ).toBeLessThan(500);
        }
      }
      for (const path of [
        '/api/jobs/%',
        '/api/jobs/%E0%A4%A',
        '/api/runs/' + '9'.repeat(400),
        '/api/jobs?cursor=%00',
        '/api/jobs?limit[]=1',
        '/api/jobs?archived',
      ]) {
        const res = await api.get(path);
        expect(res.status, `${path} → ${res.text}`).toBeLessThan(500);
      }
    });
  });
});
