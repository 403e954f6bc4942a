import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../../test/support/keys.js';
import { middlewareTestApp } from '../../../test/support/middleware-app.js';
import { authenticate, requireKey, requireScope } from './auth.js';

const isPublic = (path: string) => path === '/api/health';

/** The guard as createApp registers it: who is calling, then a key required, then a scope. */
function guardedApp(enabled = true) {
  const { app, services } = middlewareTestApp();
  app.use('/api/*', authenticate({ enabled, isPublic, clientAddress: () => '192.0.2.1' }));
  app.use('/api/*', requireKey({ isPublic }));
  app.get('/api/health', (c) => c.json({ ok: true }));
  app.get('/api/whoami', (c) => c.json(c.get('principal')));
  app.post('/api/jobs', requireScope('write'), (c) => c.json({ created: true }, 201));
  return { app, services };
}

const bearer = (secret: string) => ({ headers: { Authorization: `Bearer ${secret}` } });

describe('authenticate, requireKey and requireScope', () => {
  let guarded: ReturnType<typeof guardedApp>;
  let app: ReturnType<typeof guardedApp>['app'];
  let readKey: string;
  let writeKey: string;

  beforeAll(async () => {
    guarded = guardedApp();
    app = guarded.app;
    readKey = (await guarded.services.apiKeys.create({ name: 'reader', scope: 'read' })).secret;
    writeKey = (await guarded.services.apiKeys.create({ name: 'writer', scope: 'write' })).secret;
  });

  it('answers 401 with a Bearer challenge when no key is sent', async () => {
    const response = await app.request('/api/whoami');

    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="chronotrack"');
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it.each([
    ['an unknown key as a Bearer token', { Authorization: 'Bearer ct_not_a_key' }],
    ['an unknown key in X-Api-Key', { 'X-Api-Key': 'ct_not_a_key' }],
    ['a key without the Bearer scheme', { Authorization: 'ct_0123456789abcdef' }],
  ])('answers 401 invalid_token for %s', async (_, headers) => {
    const response = await app.request('/api/whoami', { headers });

    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe(
      'Bearer realm="chronotrack", error="invalid_token"',
    );
  });

  it('lets a known key through, as its principal', async () => {
    const viaBearer = await app.request('/api/whoami', bearer(readKey));
    const viaHeader = await app.request('/api/whoami', { headers: { 'X-Api-Key': readKey } });

    expect(viaBearer.status).toBe(200);
    expect(await viaBearer.json()).toMatchObject({ name: 'reader', scope: 'read' });
    expect(await viaHeader.json()).toMatchObject({ name: 'reader', scope: 'read' });
  });

  it('answers 403 naming the scope when the key holds a weaker one', async () => {
    const response = await app.request('/api/jobs', { method: 'POST', ...bearer(readKey) });

    expect(response.status).toBe(403);
    expect(response.headers.get('WWW-Authenticate')).toBe(
      'Bearer realm="chronotrack", error="insufficient_scope", scope="write"',
    );
    expect(await response.json()).toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
  });

  it('lets a key with the scope, or a stronger one, use the route', async () => {
    const asWriter = await app.request('/api/jobs', { method: 'POST', ...bearer(writeKey) });
    const asAdmin = await app.request('/api/jobs', { method: 'POST', ...bearer(TEST_ADMIN_KEY) });

    expect(asWriter.status).toBe(201);
    expect(asAdmin.status).toBe(201);
  });

  it('refuses a revoked key as it refuses an unknown one', async () => {
    const { services } = guarded;
    const { key, secret } = await services.apiKeys.create({ name: 'leaked', scope: 'read' });
    expect((await app.request('/api/whoami', bearer(secret))).status).toBe(200);
    await services.apiKeys.revoke(key.id);

    const response = await app.request('/api/whoami', bearer(secret));
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });

  it('lets anyone call a public path, without a key or with a bad one', async () => {
    expect((await app.request('/api/health')).status).toBe(200);
    expect((await app.request('/api/health', bearer('ct_not_a_key'))).status).toBe(200);
  });

  it('with AUTH=off, acts as an admin that names the caller by address', async () => {
    const { app: open } = guardedApp(false);
    const response = await open.request('/api/whoami');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      keyId: null,
      name: 'AUTH=off',
      scope: 'admin',
      projectId: null,
      client: '192.0.2.1',
    });
  });
});
