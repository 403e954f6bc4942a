import { formatRelative } from '../lib/format';

/** Under this, the header's expiry turns to a warning: a week to get a new key. */
const SOON_MS = 7 * 86_400_000;

/** The signed-in key's expiry for the header ("expires in 5 days"), or null when it never does. */
export function keyExpiry(
  expiresAt: string | null,
  now = Date.now(),
): { text: string; soon: boolean } | null {
  if (!expiresAt) return null;
  return {
    text: `expires ${formatRelative(expiresAt, now)}`,
    soon: Date.parse(expiresAt) - now < SOON_MS,
  };
}
