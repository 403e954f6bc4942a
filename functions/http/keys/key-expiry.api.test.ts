import { beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../../../test/support/client.js';
import { expectProblem } from '../../../test/api/expect-problem.js';
import { describeOnEveryDriver, type ApiHarness } from '../../../test/api/every-driver.js';

const DAY = 86_400_000;

/** Keys that expire, and keys renamed or given a new expiry, on every runtime. */
describeOnEveryDriver((getHarness) => {
  describe('key expiry and renaming', () => {
    let harness: ApiHarness;
    let api: Client;
    /** The API as it answers `ms` after the real now, presenting `key`. */
    const at = (ms: number, key: string) => {
      const now = new Date(Date.now() + ms);
      return client(harness.appWith({ now: () => now }), key);
    };

    beforeAll(() => {
      harness = getHarness();
      api = client(harness.target);
    });

    it('refuses a key after its expiresAt with a 401 that says it expired, and shows when it expires', async () => {
      const expiresAt = new Date(Date.now() + 7 * DAY).toISOString();
      const created = await api.post('/api/keys', { name: 'contractor', scope: 'read', expiresAt });
      expect(created.status, created.text).toBe(201);
      expect(created.body.expiresAt).toBe(expiresAt);
      const { key, id } = created.body;

      const me = await at(0, key).get('/api/me');
      expect(me.status, me.text).toBe(200);
      expect(me.body).toMatchObject({ keyId: id, expiresAt });
      expect((await at(7 * DAY - 60_000, key).get('/api/jobs')).status).toBe(200);

      const expired = await at(7 * DAY + 1000, key).get('/api/jobs');
      expectProblem(expired, 401, 'UNAUTHENTICATED');
      expect(expired.body.detail).toBe(
        `This API key expired at ${expiresAt}: ask an admin for a new key, or to extend this one (PATCH /api/keys/{id}).`,
      );
      expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
      // The list shows it to admins.
      const listed = (await api.get('/api/keys')).body.data.find(
        (k: { id: number }) => k.id === id,
      );
      expect(listed).toMatchObject({ expiresAt, revokedAt: null });
      // A revoked key still reads like any unknown key: only expiry has its own words.
      const revoked = (await api.post('/api/keys', { name: 'gone', scope: 'read' })).body;
      await api.delete(`/api/keys/${revoked.id}`);
      expect((await at(0, revoked.key).get('/api/jobs')).body.detail).toBe(
        'The API key is not valid: unknown, revoked or malformed.',
      );
    });

    it('renames a key and extends or removes its expiry; the key works again at once', async () => {
      const soon = new Date(Date.now() + DAY).toISOString();
      const { key, id } = (
        await api.post('/api/keys', { name: 'ci', scope: 'write', expiresAt: soon })
      ).body;
      const later = at(2 * DAY, key);
      expectProblem(await later.get('/api/jobs'), 401, 'UNAUTHENTICATED');

      const extended = new Date(Date.now() + 30 * DAY).toISOString();
      const changed = await api.patch(`/api/keys/${id}`, {
        name: '  ci on runner-2 ',
        expiresAt: extended,
      });
      expect(changed.status, changed.text).toBe(200);
      expect(changed.body).toMatchObject({ id, name: 'ci on runner-2', expiresAt: extended });
      expect((await at(2 * DAY, key).get('/api/jobs')).status).toBe(200);

      const forever = await api.patch(`/api/keys/${id}`, { expiresAt: null });
      expect(forever.body.expiresAt).toBeNull();
      expect((await at(3650 * DAY, key).get('/api/jobs')).status).toBe(200);
      // Nothing to change is no change.
      expect((await api.patch(`/api/keys/${id}`, {})).body.name).toBe('ci on runner-2');
    });

    it('answers 400 for a past or malformed expiry and other bad input, 404 and 403 as promised', async () => {
      const past = new Date(Date.now() - 1000).toISOString();
      const refused = await api.post('/api/keys', { name: 'x', scope: 'read', expiresAt: past });
      expectProblem(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.errors).toEqual([
        { path: 'expiresAt', message: 'must be in the future' },
      ]);
      const { id, key } = (await api.post('/api/keys', { name: 'y', scope: 'write' })).body;
      for (const body of [
        { expiresAt: past },
        { expiresAt: 'tomorrow' },
        { expiresAt: 1_900_000_000_000 },
        { name: '' },
        { scope: 'admin' },
      ])
        expectProblem(await api.patch(`/api/keys/${id}`, body), 400, 'VALIDATION_FAILED');
      expect(
        (await api.get('/api/keys')).body.data.find((k: { id: number }) => k.id === id),
      ).toMatchObject({ name: 'y', expiresAt: null });
      expectProblem(await api.patch('/api/keys/999999', { name: 'z' }), 404, 'KEY_NOT_FOUND');
      expectProblem(
        await client(harness.target, key).patch(`/api/keys/${id}`, { name: 'mine' }),
        403,
        'INSUFFICIENT_SCOPE',
      );
    });
  });
});
