import { invalid } from './errors.js';
import type { Keyset } from './list-queries.js';

/**
 * Opaque keyset cursors: base64url of `{ v, f, k, id }`: the sort key and id of the last row seen,
 * and `f`, a fingerprint of the list they belong to (endpoint, filters, sort). Every field is
 * validated, so a tampered cursor, or one taken from another list or sort, is a 400.
 */
const VERSION = 2;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function toBase64Url(text: string): string {
  const bytes = encoder.encode(text);
  let binary = '';
  // Indexed loops, not for...of: a page writes a cursor and a fingerprint on every request.
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(value: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new Error('not base64url');
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  return decoder.decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** A short, stable fingerprint (FNV-1a, 32 bits) of what defines a list. */
export function fingerprint(list: unknown): string {
  const bytes = encoder.encode(JSON.stringify(list));
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

export function encodeCursor(list: string, position: Keyset): string {
  return toBase64Url(JSON.stringify({ v: VERSION, f: list, k: position.key, id: position.id }));
}

const badCursor = () =>
  invalid(
    'cursor',
    'The cursor is not valid for this list; use the nextCursor returned with the same filters and sort.',
  );

/** Reads a cursor for the list `list` whose sort keys are of type `keyType`; throws a 400 otherwise. */
export function decodeCursor(cursor: string, list: string, keyType: 'number' | 'string'): Keyset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromBase64Url(cursor));
  } catch {
    throw badCursor();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badCursor();
  const { v, f, k, id, ...rest } = parsed as Record<string, unknown>;
  const keyOk =
    keyType === 'number' ? Number.isSafeInteger(k) : typeof k === 'string' && k.length <= 1000;
  if (
    v !== VERSION ||
    f !== list ||
    !keyOk ||
    !Number.isSafeInteger(id) ||
    (id as number) < 1 ||
    Object.keys(rest).length > 0
  ) {
    throw badCursor();
  }
  return { key: k as number | string, id: id as number };
}

/** Turns `limit + 1` fetched rows into a page: the extra row only proves there is a next page. */
export function toPage<T extends { id: number }>(
  rows: T[],
  limit: number,
  list: string,
  keyOf: (row: T) => number | string,
): { data: T[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return {
    data,
    nextCursor:
      rows.length > limit && last ? encodeCursor(list, { key: keyOf(last), id: last.id }) : null,
  };
}

const DEFAULT_PAGE_SIZE = 50;

export interface ListOptions {
  limit?: number;
  cursor?: string;
}

/**
 * One keyset page of the list `list`: decodes the cursor (a 400 if it belongs elsewhere), asks
 * `fetch` for `limit + 1` rows after it, and encodes the next cursor from the last row kept.
 */
export async function keysetPage<T extends { id: number }>(options: {
  list: string;
  page: ListOptions;
  keyType: 'number' | 'string';
  keyOf: (row: T) => number | string;
  fetch: (after: Keyset | undefined, limit: number) => Promise<T[]>;
}): Promise<{ data: T[]; nextCursor: string | null }> {
  const limit = options.page.limit ?? DEFAULT_PAGE_SIZE;
  const { cursor } = options.page;
  const after =
    cursor === undefined ? undefined : decodeCursor(cursor, options.list, options.keyType);
  return toPage(await options.fetch(after, limit + 1), limit, options.list, options.keyOf);
}
