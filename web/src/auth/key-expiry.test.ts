import { describe, expect, it } from 'vitest';
import { keyExpiry } from './key-expiry';

describe('keyExpiry', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('says when the key expires, a warning within a week', () => {
    expect(keyExpiry(null, now)).toBeNull();
    expect(keyExpiry('2026-12-31T12:00:00Z', now)).toEqual({
      text: 'expires in 30 days',
      soon: false,
    });
    expect(keyExpiry('2026-12-04T12:00:00Z', now)).toEqual({
      text: 'expires in 3 days',
      soon: true,
    });
  });
});
