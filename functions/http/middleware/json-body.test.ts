import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { jsonBody } from '../openapi.js';
import { onError } from '../problem.js';
import { bodyChecks } from './json-body.js';

const LIMIT = 1024;

/** A write route as the API declares one: the body checks, then the route's JSON validator. */
function appWithJsonRoute() {
  const app = new OpenAPIHono<AppEnv>();
  const route = createRoute({
    method: 'post',
    path: '/api/jobs',
    middleware: [bodyChecks(LIMIT)] as const,
    request: { body: jsonBody(z.object({ name: z.string().optional() }).strict()) },
    responses: { 200: { description: 'The body as the route read it.' } },
  });
  app.openapi(route, (c) => c.json(c.req.valid('json'), 200));
  app.onError(onError);
  return app;
}

const post = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  body,
  headers: { 'Content-Type': 'application/json', ...headers },
});

describe('bodyChecks', () => {
  const app = appWithJsonRoute();

  it('lets a JSON body within the limit through to the route', async () => {
    const response = await app.request('/api/jobs', post('{"name":"backup"}'));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: 'backup' });
  });

  it('answers 413 to a body over the limit, judged by its Content-Length', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(LIMIT) });
    const response = await app.request(
      '/api/jobs',
      post(body, { 'Content-Length': String(body.length) }),
    );

    expect(response.status).toBe(413);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      detail: `The request body exceeds ${LIMIT} bytes.`,
    });
  });

  it('answers 400 to a Content-Length that is not a number, before reading the body', async () => {
    const response = await app.request(
      '/api/jobs',
      post(`"${'x'.repeat(LIMIT)}"`, { 'Content-Length': 'abc' }),
    );

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'Content-Length', message: 'must be a whole number of bytes' }],
    });
  });

  it('answers 413 to a body over the limit without a Content-Length, counted as it arrives', async () => {
    const response = await app.request('/api/jobs', post(`"${'x'.repeat(LIMIT)}"`));

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a large body before anything else looks at it, whatever its media type', async () => {
    const response = await app.request('/api/jobs', {
      method: 'POST',
      body: 'x'.repeat(LIMIT + 1),
      headers: { 'Content-Type': 'text/plain' },
    });

    expect(response.status).toBe(413);
  });

  it('hands a body that is not JSON to the validator as it came, which answers 415', async () => {
    const response = await app.request('/api/jobs', {
      method: 'POST',
      body: 'name=backup',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });

    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it.each([
    ['nothing', ''],
    ['whitespace', ' \n'],
  ])('reads a JSON body of %s as {}', async (_, body) => {
    const response = await app.request('/api/jobs', post(body));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
  });

  it('leaves malformed JSON to the validator: 400', async () => {
    const response = await app.request('/api/jobs', post('{"name":'));

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
