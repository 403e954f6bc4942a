import { invalid } from './errors.js';

/**
 * Opaque keyset cursors: base64url of a small JSON object naming the last row seen. Clients must
 * treat them as opaque; the server validates every field so a tampered cursor is a 400.
 */
interface IdCursor {
  v: 1;
  id: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(value: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new Error('not base64url');
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  return decoder.decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

export function encodeCursor(id: number): string {
  const cursor: IdCursor = { v: 1, id };
  return toBase64Url(JSON.stringify(cursor));
}

/** Returns the id the next page starts below; throws VALIDATION_FAILED on anything malformed. */
export function decodeCursor(cursor: string): number {
  try {
    const parsed: unknown = JSON.parse(fromBase64Url(cursor));
    if (typeof parsed === 'object' && parsed !== null && 'v' in parsed && 'id' in parsed) {
      const { v, id } = parsed as Record<string, unknown>;
      if (
        v === 1 &&
        Number.isSafeInteger(id) &&
        (id as number) > 0 &&
        Object.keys(parsed).length === 2
      ) {
        return id as number;
      }
    }
  } catch {
    // fall through: every failure is the same client error
  }
  throw invalid(
    'cursor',
    'The cursor is not valid; use a nextCursor value returned by this endpoint.',
  );
}

/** Turns `limit + 1` fetched rows into a page: the extra row only proves there is a next page. */
export function toPage<T extends { id: number }>(
  rows: T[],
  limit: number,
): { data: T[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
