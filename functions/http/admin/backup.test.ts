import { describe, expect, it } from 'vitest';
import { inMemoryApp, TEST_ADMIN_KEY } from '../../../test/support/apps.js';

/**
 * GET /api/admin/backup where the platform has no database file to copy (D1, a libSQL server, or
 * as here an app built without the `backup` part): a 501 naming the tools to use instead. The
 * copy itself, over a real file, is functions/runtime/node-backup.test.ts.
 */
describe('GET /api/admin/backup without a database file', () => {
  const app = inMemoryApp();
  const get = (key?: string) =>
    app.request('/api/admin/backup', {
      headers: key ? { Authorization: `Bearer ${key}` } : {},
    });

  it('answers 501 BACKUP_NOT_SUPPORTED, pointing at wrangler d1 export and libSQL tools', async () => {
    const res = await get(TEST_ADMIN_KEY);
    expect(res.status).toBe(501);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const body = (await res.json()) as { code: string; detail: string; title: string };
    expect(body).toMatchObject({ code: 'BACKUP_NOT_SUPPORTED', title: 'Not Implemented' });
    expect(body.detail).toContain('wrangler d1 export');
    expect(body.detail).toContain('libSQL');
  });

  it('needs a key (401) and the admin scope (403) before that', async () => {
    expect((await get()).status).toBe(401);
    const created = await app.request('/api/keys', {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'reader', scope: 'write' }),
    });
    const { key } = (await created.json()) as { key: string };
    const res = await get(key);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('INSUFFICIENT_SCOPE');
  });
});
