import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../../shared/logger.js';
import { middlewareTestApp } from '../../../test/support/middleware-app.js';
import { accessLog } from './access-log.js';

function loggedApp() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createJsonLogger({ write: (line) => lines.push(JSON.parse(line)) });
  const { app } = middlewareTestApp({ logger });
  app.use(accessLog());
  app.get('/api/runs/:runId', (c) => c.json({ id: Number(c.req.param('runId')) }));
  app.post('/ping/:uuid', (c) => c.text('OK'));
  app.get('/api/boom', () => {
    throw new Error('boom');
  });
  const requests = () => lines.filter((line) => line.msg === 'request');
  return { app, requests };
}

describe('accessLog', () => {
  it('writes one line per request, naming the route template and the status', async () => {
    const { app, requests } = loggedApp();
    const response = await app.request('/api/runs/42', { headers: { 'X-Request-Id': 'req-42' } });

    expect(response.status).toBe(200);
    expect(requests()).toEqual([
      expect.objectContaining({
        level: 'info',
        requestId: 'req-42',
        method: 'GET',
        path: '/api/runs/42',
        route: '/api/runs/{runId}',
        status: 200,
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it("redacts a ping URL's secret, which is a credential", async () => {
    const { app, requests } = loggedApp();
    const secret = '7c4d2b1e-9f3a-4c5d-8e6f-0a1b2c3d3bbf';
    await app.request(`/ping/${secret}`, { method: 'POST' });

    const [line] = requests();
    expect(line).toMatchObject({ path: '/ping/[redacted]', route: '/ping/{uuid}', status: 200 });
    expect(JSON.stringify(requests())).not.toContain(secret);
  });

  it('logs the status the client got: a 404 under the catch-all label, a thrown error as 500', async () => {
    const { app, requests } = loggedApp();
    await app.request('/nowhere');
    await app.request('/api/boom');

    expect(requests()).toEqual([
      expect.objectContaining({ path: '/nowhere', route: '/*', status: 404 }),
      expect.objectContaining({ path: '/api/boom', route: '/api/boom', status: 500 }),
    ]);
  });

  it("names the caller's key by its id, never its secret", async () => {
    const { app, requests } = loggedApp();
    app.use(async function asKey(c, next) {
      c.set('principal', { keyId: 7, name: 'deploy', scope: 'write', projectId: null });
      await next();
    });
    app.get('/api/me', (c) => c.json({}));
    await app.request('/api/me');

    expect(requests()[0]).toMatchObject({ route: '/api/me', key: 7 });
  });
});
