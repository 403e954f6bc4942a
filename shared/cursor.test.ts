import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { decodeCursor, encodeCursor, fingerprint, toPage } from './cursor.js';

const LIST = fingerprint({ list: 'runs', sort: '-createdAt' });
const raw = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

describe('keyset cursor', () => {
  it('round-trips a numeric or string key with the id', () => {
    expect(
      decodeCursor(encodeCursor(LIST, { key: 1700000000000, id: 42 }), LIST, 'number'),
    ).toEqual({ key: 1700000000000, id: 42 });
    expect(decodeCursor(encodeCursor(LIST, { key: 'Nightly ✓', id: 7 }), LIST, 'string')).toEqual({
      key: 'Nightly ✓',
      id: 7,
    });
    expect(encodeCursor(LIST, { key: 1, id: 1 })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('fingerprints lists stably and tells them apart', () => {
    expect(fingerprint({ a: 1, sort: 'x' })).toBe(fingerprint({ a: 1, sort: 'x' }));
    expect(fingerprint({ a: 1, sort: 'x' })).not.toBe(fingerprint({ a: 2, sort: 'x' }));
  });

  it.each([
    ['not base64', '%%%'],
    ['not JSON', btoa('hello')],
    ['an old version', raw({ v: 1, id: 1 })],
    ['from another list', encodeCursor(fingerprint({ other: true }), { key: 1, id: 1 })],
    ['a key of the wrong type', raw({ v: 2, f: LIST, k: 'x', id: 1 })],
    ['a negative id', raw({ v: 2, f: LIST, k: 1, id: -1 })],
    ['a fractional id', raw({ v: 2, f: LIST, k: 1, id: 1.5 })],
    ['extra fields', raw({ v: 2, f: LIST, k: 1, id: 1, offset: 10 })],
    ['an array', raw([1])],
    ['null', raw(null)],
  ])('rejects a cursor that is %s', (_name, cursor) => {
    let error: unknown;
    try {
      decodeCursor(cursor, LIST, 'number');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    expect((error as DomainError).fieldErrors[0]?.path).toBe('cursor');
  });

  it('pages limit+1 rows into data and a cursor after the last kept row', () => {
    const rows = [
      { id: 9, at: 90 },
      { id: 8, at: 80 },
      { id: 7, at: 70 },
    ];
    const page = toPage(rows, 2, LIST, (row) => row.at);
    expect(page.data.map((r) => r.id)).toEqual([9, 8]);
    expect(decodeCursor(page.nextCursor!, LIST, 'number')).toEqual({ key: 80, id: 8 });
    expect(toPage(rows, 3, LIST, (row) => row.at).nextCursor).toBeNull();
  });
});

describe('cursors already handed out', () => {
  it('keep their fingerprint and encoding, so a client mid-listing is not turned away', () => {
    expect(fingerprint({ list: 'runs', sort: '-createdAt', jobType: 'étl ✓' })).toBe('1f1ptir');
    expect(encodeCursor('abc', { key: 'Nightly ✓', id: 7 })).toBe(
      'eyJ2IjoyLCJmIjoiYWJjIiwiayI6Ik5pZ2h0bHkg4pyTIiwiaWQiOjd9',
    );
  });
});
