import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { afterWrites } from './after-writes.js';

/**
 * The middleware over a trigger that records when it was kicked, among the handlers' own steps,
 * in place of the runtime's DispatchTrigger. `joined` makes it answer null, as a trigger does
 * when a pass is already in flight.
 */
function appWithTrigger(options: { joined?: boolean } = {}) {
  const events: string[] = [];
  const deferred: Array<Promise<unknown>> = [];
  const app = new Hono<AppEnv>();
  app.use(
    afterWrites({
      afterWrite: () => {
        events.push('dispatch');
        return options.joined ? null : Promise.resolve();
      },
      defer: (_c, work) => deferred.push(work),
    }),
  );
  app.post('/api/jobs', (c) => {
    events.push('handler');
    return c.json({ id: 1 }, 201);
  });
  app.get('/api/jobs', (c) => c.json([]));
  app.patch('/api/runs/:runId', (c) => c.json({ code: 'INVALID_TRANSITION' }, 409));
  app.get('/ping/:uuid', (c) => c.text('OK'));
  app.options('/ping/:uuid', (c) => c.body(null, 204));
  app.post('/elsewhere', (c) => c.text('OK'));
  return { app, events, deferred };
}

describe('dispatchAfterWrites', () => {
  it('starts a dispatch pass after a successful write, and hands it to defer', async () => {
    const { app, events, deferred } = appWithTrigger();
    const response = await app.request('/api/jobs', { method: 'POST' });

    expect(response.status).toBe(201);
    expect(events).toEqual(['handler', 'dispatch']);
    expect(deferred).toHaveLength(1);
  });

  it('starts none after a read', async () => {
    const { app, events } = appWithTrigger();
    await app.request('/api/jobs');

    expect(events).toEqual([]);
  });

  it('starts none after a write that was refused', async () => {
    const { app, events } = appWithTrigger();
    const response = await app.request('/api/runs/1', { method: 'PATCH' });

    expect(response.status).toBe(409);
    expect(events).toEqual([]);
  });

  it('starts one after any answered ping, a GET included, and none after an unknown path', async () => {
    const { app, events } = appWithTrigger();
    await app.request('/ping/7c4d2b1e-9f3a-4c5d-8e6f-0a1b2c3d3bbf');
    expect(events).toEqual(['dispatch']);

    await app.request('/ping/7c4d2b1e-9f3a-4c5d-8e6f-0a1b2c3d3bbf/start/extra');
    expect(events).toEqual(['dispatch']);
  });

  it('starts none after a CORS preflight of a ping, which records no run', async () => {
    const { app, events } = appWithTrigger();
    const response = await app.request('/ping/5bf2ef7a', { method: 'OPTIONS' });

    expect(response.status).toBe(204);
    expect(events).toEqual([]);
  });

  it('starts none after a write outside /api and /ping, which queues no webhook', async () => {
    const { app, events } = appWithTrigger();
    await app.request('/elsewhere', { method: 'POST' });

    expect(events).toEqual([]);
  });

  it('defers nothing when the trigger joined a pass already in flight', async () => {
    const { app, events, deferred } = appWithTrigger({ joined: true });
    await app.request('/api/jobs', { method: 'POST' });

    expect(events).toEqual(['handler', 'dispatch']);
    expect(deferred).toEqual([]);
  });
});
