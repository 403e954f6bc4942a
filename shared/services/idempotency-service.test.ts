import { describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { testRuntime } from '../../test/support/runtime.js';
import { DomainError } from '../errors.js';
import {
  canonicalJson,
  IDEMPOTENCY_KEY_TTL_MS,
  IDEMPOTENCY_LEASE_MS,
  idempotencyPrincipal,
  parseIdempotencyKey,
} from '../idempotency.js';
import { SWEEP_EVERY_RESERVATIONS } from './idempotency-service.js';

function setup() {
  let now = new Date('2026-01-01T00:00:00Z').getTime();
  const { stores, services } = testRuntime(openBetterSqlite(':memory:'), undefined, {
    now: () => new Date(now),
  });
  return {
    stores,
    idempotency: services.idempotency,
    // A new request's services share the app's counters, as createApp's per-request ones do.
    perRequest: () => services.forRequest({ requestId: 'test' }).idempotency,
    advance: (ms: number) => (now += ms),
  };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof DomainError ? error.code : error),
  );

describe('IdempotencyService (SQLite :memory:)', () => {
  it('reserves a new key, then explains every later use of it', async () => {
    const { idempotency, advance } = setup();
    const admitted = await idempotency.admit('key:1', 'k', 'fp');
    expect(admitted.reservation).toBeDefined();
    expect(await codeOf(idempotency.admit('key:1', 'k', 'fp'))).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
    expect(await codeOf(idempotency.admit('key:1', 'k', 'other'))).toBe('IDEMPOTENCY_KEY_REUSED');
    // Another principal's key of the same name is another key.
    expect((await idempotency.admit('key:2', 'k', 'other')).reservation).toBeDefined();

    expect(await idempotency.finish(admitted.reservation!, 201, '{"id":1}')).toBe(true);
    expect((await idempotency.admit('key:1', 'k', 'fp')).replay).toMatchObject({
      status: 201,
      body: '{"id":1}',
    });
    advance(IDEMPOTENCY_KEY_TTL_MS);
    expect((await idempotency.admit('key:1', 'k', 'other')).reservation).toBeDefined();
  });

  it('an abandoned reservation is taken over by the same request only, and its holder loses it', async () => {
    const { idempotency, advance } = setup();
    const first = (await idempotency.admit('admin', 'k', 'fp')).reservation!;
    advance(IDEMPOTENCY_LEASE_MS);
    expect(await codeOf(idempotency.admit('admin', 'k', 'other'))).toBe('IDEMPOTENCY_KEY_REUSED');
    const second = (await idempotency.admit('admin', 'k', 'fp')).reservation!;
    expect(second.id).toBe(first.id);
    expect(second.reservedAt).toBeGreaterThan(first.reservedAt);
    expect(await idempotency.finish(first, 201, '{}')).toBe(false);
    await idempotency.release(first);
    expect(await idempotency.finish(second, 201, '{}')).toBe(true);
  });

  it('a released key is free for the next request', async () => {
    const { idempotency } = setup();
    const first = (await idempotency.admit('admin', 'k', 'fp')).reservation!;
    await idempotency.release(first);
    expect((await idempotency.admit('admin', 'k', 'other')).reservation).toBeDefined();
  });

  it('deletes expired records now and then as keys are reserved, and on demand', async () => {
    const { stores, perRequest, advance } = setup();
    await perRequest().admit('admin', 'old', 'fp');
    advance(IDEMPOTENCY_KEY_TTL_MS);
    const old = () => stores.idempotencyKeys.find('admin', 'old', new Date(0));
    // The first reservation counted above; the sweep comes with the hundredth.
    for (let i = 1; i < SWEEP_EVERY_RESERVATIONS - 1; i++)
      await perRequest().admit('admin', `k${i}`, 'fp');
    expect(await old()).not.toBeNull();
    await perRequest().admit('admin', 'last', 'fp');
    expect(await old()).toBeNull();

    await perRequest().admit('admin', 'next', 'fp');
    advance(IDEMPOTENCY_KEY_TTL_MS);
    expect(await perRequest().deleteExpired()).toBe(SWEEP_EVERY_RESERVATIONS);
    expect(await perRequest().deleteExpired()).toBe(0);
  });
});

describe('Idempotency-Key values', () => {
  it('takes 1 to 255 printable ASCII characters, bare or as a quoted string', () => {
    expect(parseIdempotencyKey('abc-123')).toEqual({ key: 'abc-123' });
    expect(parseIdempotencyKey('"abc-123"')).toEqual({ key: 'abc-123' });
    expect(parseIdempotencyKey('"say \\"hi\\" \\\\o/"')).toEqual({ key: 'say "hi" \\o/' });
    expect(parseIdempotencyKey('a b')).toEqual({ key: 'a b' });
    expect(parseIdempotencyKey('k'.repeat(255))).toEqual({ key: 'k'.repeat(255) });
    for (const bad of ['', 'k'.repeat(256), 'tab\t', 'caf\u00e9', '"open', '"a\\b"', '""', '"a"b'])
      expect(parseIdempotencyKey(bad), JSON.stringify(bad)).toHaveProperty('error.path');
  });

  it('belong to the API key, to ADMIN_API_KEY, or with AUTH=off to the address', () => {
    const base = { name: 'n', scope: 'write' as const, projectId: null };
    expect(idempotencyPrincipal({ ...base, keyId: 7 })).toBe('key:7');
    expect(idempotencyPrincipal({ ...base, keyId: null })).toBe('admin');
    expect(idempotencyPrincipal({ ...base, keyId: null, client: '10.0.0.1' })).toBe(
      'client:10.0.0.1',
    );
  });

  it('fingerprint bodies as canonical JSON: key order and spacing do not matter', () => {
    expect(canonicalJson(JSON.parse('{ "b": [1, {"d": 1, "c": 2}], "a": null }'))).toBe(
      '{"a":null,"b":[1,{"c":2,"d":1}]}',
    );
  });
});
