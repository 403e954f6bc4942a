import { createHash } from 'node:crypto';
import type { HashSecret } from '../../shared/api-key-secret.js';

/**
 * SHA-256 of a key secret with node:crypto, synchronously. Web Crypto's digest, which the shared
 * code uses, is a thread-pool round trip on Node: every authenticated request waited for one.
 */
export const nodeHashSecret: HashSecret = (secret) =>
  createHash('sha256').update(secret).digest('hex');
