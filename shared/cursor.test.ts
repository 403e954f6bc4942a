import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { decodeCursor, encodeCursor, toPage } from './cursor.js';

describe('keyset cursor', () => {
  it('round-trips an id', () => {
    expect(decodeCursor(encodeCursor(42))).toBe(42);
    expect(encodeCursor(42)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['not base64', '%%%'],
    ['not JSON', btoa('hello')],
    ['wrong version', btoa(JSON.stringify({ v: 2, id: 1 }))],
    ['negative id', btoa(JSON.stringify({ v: 1, id: -1 }))],
    ['fractional id', btoa(JSON.stringify({ v: 1, id: 1.5 }))],
    ['string id', btoa(JSON.stringify({ v: 1, id: '1' }))],
    ['extra fields', btoa(JSON.stringify({ v: 1, id: 1, offset: 10 })).replace(/=+$/, '')],
    ['array', btoa('[1]')],
    ['null', btoa('null')],
  ])('rejects a cursor that is %s', (_name, cursor) => {
    expect(() => decodeCursor(cursor)).toThrowError(DomainError);
    try {
      decodeCursor(cursor);
    } catch (error) {
      expect((error as DomainError).code).toBe('VALIDATION_FAILED');
      expect((error as DomainError).fieldErrors[0]?.path).toBe('cursor');
    }
  });

  it('pages limit+1 rows into data and a cursor after the last kept row', () => {
    const rows = [{ id: 9 }, { id: 8 }, { id: 7 }];
    const page = toPage(rows, 2);
    expect(page.data).toEqual([{ id: 9 }, { id: 8 }]);
    expect(decodeCursor(page.nextCursor!)).toBe(8);
    expect(toPage(rows, 3).nextCursor).toBeNull();
  });
});
