import { describe, expect, it } from 'vitest';
import { generateKeySecret, hashKeySecret } from '../../shared/api-key-secret.js';
import { nodeHashSecret } from './node-hash.js';

describe('node:crypto key hashing', () => {
  it('gives exactly what Web Crypto gives, so keys stored by either are found by both', async () => {
    for (const secret of [generateKeySecret(), generateKeySecret(), 'ct_é unicode ✓', '']) {
      expect(nodeHashSecret(secret)).toBe(await hashKeySecret(secret));
    }
  });
});
