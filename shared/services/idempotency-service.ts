import { errorMessage } from '../errors.js';
import type { IdempotencyRecord, IdempotencyRepository } from '../repositories.js';
import type { HashSecret } from '../api-key-secret.js';
import {
  IDEMPOTENCY_KEY_TTL_MS,
  IDEMPOTENCY_LEASE_MS,
  idempotencyKeyInFlight,
  idempotencyKeyReused,
  type IdempotencyReservation,
} from '../idempotency.js';
import type { Logger } from '../logger.js';

/** Every this many reservations a process makes, it deletes a batch of expired records. */
export const SWEEP_EVERY_RESERVATIONS = 100;
/** Expired records deleted per batch: bounded, so no sweep holds the write lock for long. */
export const EXPIRED_BATCH = 200;
/** A key found neither free nor held (released meanwhile) is tried this many times. */
const ADMISSION_ATTEMPTS = 3;

export type Admission =
  | { reservation: IdempotencyReservation; replay?: undefined }
  | { replay: IdempotencyRecord & { status: number }; reservation?: undefined };

/** What every IdempotencyService of one app shares (they are built per request). */
export class IdempotencyCounters {
  reservations = 0;
}

/**
 * The rules of idempotency keys over their records: reserve a key or explain why not (replay,
 * 409 in flight, 422 reused), then finish or release the reservation.
 */
export class IdempotencyService {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly now: () => Date,
    private readonly hash: HashSecret,
    private readonly logger: Logger,
    private readonly counters = new IdempotencyCounters(),
  ) {}

  /**
   * SHA-256 of what makes a request itself: its method, its path with the query, and its body
   * (canonical JSON when it is JSON). The same key with another fingerprint is a 422.
   */
  async fingerprint(method: string, target: string, body: string): Promise<string> {
    return this.hash(`${method} ${target}\n${body}`);
  }

  /**
   * Reserves `key` for this request, or returns the finished record to replay. Throws 422
   * IDEMPOTENCY_KEY_REUSED when the key belongs to another request, 409 IDEMPOTENCY_KEY_IN_FLIGHT
   * when the first request with it is still running. Costs one statement when the key is new.
   */
  async admit(principal: string, key: string, fingerprint: string): Promise<Admission> {
    for (let attempt = 0; attempt < ADMISSION_ATTEMPTS; attempt++) {
      const now = this.now();
      const reservation = await this.records.reserve({
        principal,
        key,
        fingerprint,
        now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
        abandonedBefore: new Date(now.getTime() - IDEMPOTENCY_LEASE_MS),
      });
      if (reservation) {
        await this.sweepNowAndThen(now);
        return { reservation };
      }
      const record = await this.records.find(principal, key, now);
      // Gone since (released by its request): try to reserve it again.
      if (!record) continue;
      if (record.fingerprint !== fingerprint) throw idempotencyKeyReused();
      if (record.status !== null) return { replay: { ...record, status: record.status } };
      // Abandoned just now: the next attempt takes it over.
      if (now.getTime() - record.createdAt.getTime() >= IDEMPOTENCY_LEASE_MS) continue;
      throw idempotencyKeyInFlight();
    }
    throw idempotencyKeyInFlight();
  }

  /** Stores the response to replay; false if the reservation was taken over meanwhile. */
  finish(reservation: IdempotencyReservation, status: number, body: string): Promise<boolean> {
    return this.records.finish(reservation, status, body);
  }

  /** Forgets the reservation (the request failed in a way worth retrying). */
  release(reservation: IdempotencyReservation): Promise<void> {
    return this.records.release(reservation);
  }

  /**
   * Deletes at most `limit` expired records and returns how many: what a periodic sweeper (the
   * Node interval, the Workers Cron Trigger) calls. Requests with keys also call it now and then.
   */
  deleteExpired(limit = EXPIRED_BATCH): Promise<number> {
    return this.records.deleteExpired(this.now(), limit);
  }

  /** Expired records are ignored and replaced anyway; this keeps the table from growing. */
  private async sweepNowAndThen(now: Date): Promise<void> {
    if (++this.counters.reservations % SWEEP_EVERY_RESERVATIONS !== 0) return;
    try {
      const deleted = await this.records.deleteExpired(now, EXPIRED_BATCH);
      if (deleted > 0) this.logger.info('expired idempotency keys deleted', { deleted });
    } catch (error) {
      this.logger.warn('could not delete expired idempotency keys', {
        error: errorMessage(error),
      });
    }
  }
}
