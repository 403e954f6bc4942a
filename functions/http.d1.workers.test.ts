import { createExecutionContext, env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from './worker.js';
import { describeApiSuite } from './test-support/api-suite.js';
import type { ApiTarget } from './test-support/client.js';

describe('HTTP API on the Workers runtime + D1 (workerd via Miniflare)', () => {
  // Requests go through the Worker's real entry (functions/worker.ts), bindings and all.
  const target: ApiTarget = {
    fetch: (path, init) => SELF.fetch(`http://chronotrack.test${path}`, init),
  };
  describeApiSuite(() => target);
});

describe('Workers entry bindings', () => {
  it('answers a clear 500 problem when the DB binding is missing', async () => {
    const response = await worker.fetch(
      new Request('http://chronotrack.test/health'),
      {},
      createExecutionContext(),
    );
    expect(response.status).toBe(500);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 500,
      detail: expect.stringMatching(/D1 binding named DB/),
    });
  });

  it('serves through the real D1 binding when it is there', async () => {
    const response = await worker.fetch(
      new Request('http://chronotrack.test/health'),
      env,
      createExecutionContext(),
    );
    expect(response.status).toBe(200);
  });
});

describe('GET /api/docs on Workers', () => {
  it('serves the page and Swagger UI from the static assets binding', async () => {
    const page = await SELF.fetch('http://chronotrack.test/api/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/api/docs/assets/swagger-ui-bundle.js');
    const css = await SELF.fetch('http://chronotrack.test/api/docs/assets/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('Content-Type')).toMatch(/text\/css/);
    expect((await css.text()).length).toBeGreaterThan(10_000);
    expect((await SELF.fetch('http://chronotrack.test/api/docs/assets/package.json')).status).toBe(
      404,
    );
    // The asset folder is not reachable at its own paths: the API owns every route.
    expect((await SELF.fetch('http://chronotrack.test/index.html')).status).toBe(404);
  });
});
