import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  generateKeySecret,
  hashKeySecret,
  visiblePrefix,
} from './api-key-secret.js';

describe('API key secrets', () => {
  it('are ct_ + 40 base62 characters, all different', () => {
    const keys = Array.from({ length: 2_000 }, generateKeySecret);
    for (const key of keys) expect(key).toMatch(/^ct_[0-9A-Za-z]{40}$/);
    expect(new Set(keys).size).toBe(keys.length);
    // Every character of the alphabet turns up: no bias towards a part of it.
    expect(new Set(keys.join('').slice(3).replace(/ct_/g, '')).size).toBe(62);
  });

  it('hash to hex SHA-256', async () => {
    expect(await hashKeySecret('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('keep a short visible prefix', () => {
    expect(visiblePrefix('ct_Ab12CdEfGh')).toBe('ct_Ab12Cd');
  });

  it('compare equal strings only', () => {
    expect(constantTimeEqual('a'.repeat(64), 'a'.repeat(64))).toBe(true);
    expect(constantTimeEqual('a'.repeat(64), `${'a'.repeat(63)}b`)).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
  });
});
