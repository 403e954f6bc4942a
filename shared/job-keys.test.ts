import { describe, expect, it } from 'vitest';
import {
  deriveJobKey,
  firstFreeKey,
  isJobKey,
  suffixedKey,
  suffixedKeyPrefix,
} from './job-keys.js';

describe('job keys', () => {
  it('accepts 1-64 chars of [a-z0-9_-] and nothing else', () => {
    for (const key of ['a', 'nightly-backup', 'etl_2', '-', 'x'.repeat(64)])
      expect(isJobKey(key), key).toBe(true);
    for (const key of ['', 'Nightly', 'a b', 'a.b', 'é', 'x'.repeat(65), 'a/b'])
      expect(isJobKey(key), key).toBe(false);
  });

  it('derives a key from a name as the contract says', () => {
    expect(deriveJobKey('Nightly backup')).toBe('nightly-backup');
    expect(deriveJobKey('  Daily ETL (orders) ')).toBe('daily-etl-orders');
    expect(deriveJobKey('a - b')).toBe('a-b');
    expect(deriveJobKey('keep_under__scores')).toBe('keep_under__scores');
    expect(deriveJobKey('Café crème')).toBe('caf-cr-me');
    expect(deriveJobKey('日本語')).toBe('job');
    expect(deriveJobKey('!!!')).toBe('job');
    expect(deriveJobKey('x'.repeat(70))).toBe('x'.repeat(64));
    // A cut that ends on a separator drops it.
    expect(deriveJobKey(`${'x'.repeat(63)} y`)).toBe('x'.repeat(63));
  });

  it('every derived key is a valid key', () => {
    for (const name of ['', ' ', 'A', 'Ünïcödé', '--a--', `${'ab '.repeat(40)}`, '__', 'İstanbul'])
      expect(isJobKey(deriveJobKey(name)), name).toBe(true);
  });

  it('suffixes -2, -3 ... and keeps the result within 64 characters', () => {
    expect(suffixedKey('backup', 1)).toBe('backup');
    expect(suffixedKey('backup', 2)).toBe('backup-2');
    expect(suffixedKey('backup', 12)).toBe('backup-12');
    const long = 'x'.repeat(64);
    expect(suffixedKey(long, 2)).toBe(`${'x'.repeat(62)}-2`);
    expect(suffixedKey(`${'x'.repeat(61)}-yy`, 2)).toBe(`${'x'.repeat(61)}-2`);
    expect(isJobKey(suffixedKey(long, 1_000_000))).toBe(true);
  });

  it('finds the first free candidate, which always starts with the lookup prefix', () => {
    expect(firstFreeKey('backup', new Set())).toBe('backup');
    expect(firstFreeKey('backup', new Set(['backup', 'backup-2', 'backup-4']))).toBe('backup-3');
    for (const base of ['backup', 'x'.repeat(64), `${'a'.repeat(55)}-bbbbbbbb`]) {
      for (const n of [1, 2, 10, 9_999_999])
        expect(suffixedKey(base, n).startsWith(suffixedKeyPrefix(base)), `${base} ${n}`).toBe(true);
    }
  });
});
