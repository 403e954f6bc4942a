import type { Principal } from './access.js';
import { DomainError, type FieldError } from './errors.js';

/**
 * Idempotency keys (IETF draft-ietf-httpapi-idempotency-key-header, as Stripe practises it): a
 * client sends `Idempotency-Key` with a create, and a retry of the same request with the same key
 * gets the first answer again instead of creating a second row.
 */

/** How long a key is remembered: a retry later than this creates anew. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a reservation may stay in flight before it counts as abandoned (its process died
 * between reserving and finishing) and a retry of the same request may take it over. Far longer
 * than any request runs: a live request never loses its reservation to a retry.
 */
export const IDEMPOTENCY_LEASE_MS = 60_000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * A reservation a request holds: the record's id and the instant it was reserved (epoch ms). A
 * takeover of an abandoned reservation sets a later instant, so the pair names one holder only.
 */
export interface IdempotencyReservation {
  id: number;
  reservedAt: number;
}

/** A reservation handed to the creation it guards. */
export interface IdempotencyClaim extends IdempotencyReservation {
  /** The status a creation answers with (201), recorded in the same commit as the created row. */
  createdStatus: number;
}

/** The same key, but another request: the draft's 422. */
export const idempotencyKeyReused = (): DomainError =>
  new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used with another request (method, path or body); use a new key for a new request.',
  );

/** The first request with this key has not finished: the draft's 409, retried after Retry-After. */
export const idempotencyKeyInFlight = (): DomainError =>
  new DomainError(
    'IDEMPOTENCY_KEY_IN_FLIGHT',
    'A request with this Idempotency-Key is still being processed; retry it shortly to get its response.',
  );

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** The draft's form: a Structured Field string (RFC 8941), `"..."` with `\"` and `\\` escapes. */
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;

/**
 * The key in an `Idempotency-Key` header, or what is wrong with it. Stripe's clients send the key
 * bare, the draft's as a quoted string: both name the same key (`"abc"` is `abc`).
 */
export function parseIdempotencyKey(header: string): { key: string } | { error: FieldError } {
  const error = (message: string) => ({ error: { path: 'Idempotency-Key', message } });
  if (!PRINTABLE_ASCII.test(header))
    return error('must be printable ASCII (characters 0x20 to 0x7E)');
  let key = header;
  if (header.startsWith('"')) {
    const quoted = SF_STRING.exec(header);
    if (!quoted) return error('a quoted key must be a valid string: "...", escaping " and \\');
    key = quoted[1]!.replace(/\\(["\\])/g, '$1');
  }
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    return error(`must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  return { key };
}

/**
 * Whose keys these are: keys of different principals never meet. A stored API key by its id,
 * ADMIN_API_KEY as `admin`, and with AUTH=off the caller's address.
 */
export function idempotencyPrincipal(principal: Principal): string {
  if (principal.keyId !== null) return `key:${principal.keyId}`;
  if (principal.client !== undefined) return `client:${principal.client}`;
  return 'admin';
}

/**
 * JSON with object keys sorted, so a retry whose client serialised the same body in another key
 * order or spacing is the same request.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
