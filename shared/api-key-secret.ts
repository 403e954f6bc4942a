/**
 * API key secrets: generation, hashing and comparison, with Web Crypto only (Node and Workers).
 * A key is `ct_` + 40 base62 characters (~238 bits): the prefix lets secret scanners and people
 * recognise it. Only its SHA-256 is ever stored.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_PREFIX = 'ct_';
const SECRET_LENGTH = 40;
/** How much of a key is kept in clear to tell keys apart (`ct_` + 6 characters). */
const VISIBLE_PREFIX_LENGTH = KEY_PREFIX.length + 6;

export function generateKeySecret(): string {
  let out = KEY_PREFIX;
  while (out.length < KEY_PREFIX.length + SECRET_LENGTH) {
    const bytes = crypto.getRandomValues(new Uint8Array(64));
    for (const byte of bytes) {
      // Rejection sampling: 248 = 4 * 62, so every character is equally likely.
      if (byte < 248 && out.length < KEY_PREFIX.length + SECRET_LENGTH) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

const encoder = new TextEncoder();

/**
 * Hex SHA-256 of a secret. Web Crypto's digest is asynchronous (on Node a thread-pool round trip
 * per request), so a runtime with a synchronous SHA-256 injects it instead (Node: node:crypto);
 * both must give this function's output.
 */
export type HashSecret = (secret: string) => string | Promise<string>;

/** Hex SHA-256 of a presented secret: what the database stores and is searched by. */
export async function hashKeySecret(secret: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(secret)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Compares two strings in time that depends only on their length (used on equal-length hashes). */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

export const visiblePrefix = (secret: string): string => secret.slice(0, VISIBLE_PREFIX_LENGTH);
