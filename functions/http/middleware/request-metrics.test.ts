import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createProcessMetrics } from '../../runtime/node-metrics.js';
import type { AppEnv } from '../env.js';
import { onError } from '../problem.js';
import { requestMetrics } from './request-metrics.js';

/** The middleware over the Node process's metrics, read back as Prometheus scrapes them. */
function measuredApp() {
  const metrics = createProcessMetrics();
  const app = new Hono<AppEnv>();
  app.use(requestMetrics(metrics));
  app.get('/api/runs/:runId', (c) => c.json({ id: c.req.param('runId') }));
  app.get('/api/boom', () => {
    throw new Error('boom');
  });
  app.onError(onError);
  /** The request histogram's `_count` lines, by their labels. */
  const counts = async () =>
    (await metrics.registry.metrics())
      .split('\n')
      .filter((line) => line.startsWith('http_server_request_duration_seconds_count'));
  return { app, counts };
}

describe('requestMetrics', () => {
  it('counts each request once under its route template, not its path', async () => {
    const { app, counts } = measuredApp();
    await app.request('/api/runs/42');
    await app.request('/api/runs/43');

    expect(await counts()).toEqual([
      'http_server_request_duration_seconds_count{method="GET",route="/api/runs/{runId}",status="200"} 2',
    ]);
  });

  it('counts the status the client got: a 500 for a thrown error, a 404 under the catch-all', async () => {
    const { app, counts } = measuredApp();
    await app.request('/api/boom');
    await app.request('/nowhere', { method: 'POST' });

    expect(await counts()).toEqual([
      'http_server_request_duration_seconds_count{method="GET",route="/api/boom",status="500"} 1',
      'http_server_request_duration_seconds_count{method="POST",route="/*",status="404"} 1',
    ]);
  });
});
