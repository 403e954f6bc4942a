import type {
  IdempotencyRecord,
  IdempotencyRepository,
  NewReservation,
} from '../shared/repositories.js';
import {
  idempotencyKeyInFlight,
  type IdempotencyClaim,
  type IdempotencyReservation,
} from '../shared/idempotency.js';

interface Row extends IdempotencyRecord {
  principal: string;
  key: string;
}

/** The idempotency records in a Map, with the Drizzle repository's contract (db/idempotency.ts). */
export class MemoryIdempotencyRepository implements IdempotencyRepository {
  private readonly rows = new Map<string, Row>();
  private nextId = 1;

  async reserve(reservation: NewReservation): Promise<IdempotencyReservation | null> {
    const name = `${reservation.principal}\n${reservation.key}`;
    const held = this.rows.get(name);
    const free =
      !held ||
      held.expiresAt <= reservation.now ||
      (held.status === null &&
        held.createdAt <= reservation.abandonedBefore &&
        held.fingerprint === reservation.fingerprint);
    if (!free) return null;
    const row: Row = {
      id: held?.id ?? this.nextId++,
      principal: reservation.principal,
      key: reservation.key,
      fingerprint: reservation.fingerprint,
      status: null,
      body: null,
      resourceId: null,
      createdAt: reservation.now,
      expiresAt: reservation.expiresAt,
    };
    this.rows.set(name, row);
    return { id: row.id, reservedAt: row.createdAt.getTime() };
  }

  async find(principal: string, key: string, now: Date): Promise<IdempotencyRecord | null> {
    const row = this.rows.get(`${principal}\n${key}`);
    if (!row || row.expiresAt <= now) return null;
    const { principal: _p, key: _k, ...record } = row;
    return record;
  }

  async finish(reservation: IdempotencyReservation, status: number, body: string) {
    const row = this.byReservation(reservation);
    if (!row || !(row.status === null || (row.status === status && row.body === null)))
      return false;
    Object.assign(row, { status, body });
    return true;
  }

  async release(reservation: IdempotencyReservation): Promise<void> {
    const row = this.byReservation(reservation);
    if (row?.status === null) this.rows.delete(`${row.principal}\n${row.key}`);
  }

  async deleteExpired(now: Date, limit: number): Promise<number> {
    const expired = [...this.rows]
      .filter(([, row]) => row.expiresAt <= now)
      .sort(([, a], [, b]) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .slice(0, limit);
    for (const [name] of expired) this.rows.delete(name);
    return expired.length;
  }

  /**
   * Throws IDEMPOTENCY_KEY_IN_FLIGHT unless the claim still holds; call before creating, then
   * `complete` right after in the same turn, as the SQL stores do in one commit.
   */
  assertHeld(claim: IdempotencyClaim): void {
    const row = this.byReservation(claim);
    if (!row || row.status !== null) throw idempotencyKeyInFlight();
  }

  complete(claim: IdempotencyClaim, resourceId: number): void {
    Object.assign(this.byReservation(claim)!, { status: claim.createdStatus, resourceId });
  }

  private byReservation(reservation: IdempotencyReservation): Row | undefined {
    for (const row of this.rows.values()) {
      if (row.id === reservation.id && row.createdAt.getTime() === reservation.reservedAt)
        return row;
    }
    return undefined;
  }
}
