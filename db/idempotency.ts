import type {
  IdempotencyRecord,
  IdempotencyRepository,
  NewReservation,
} from '../shared/repositories.js';
import { and, eq, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import {
  idempotencyKeyInFlight,
  type IdempotencyClaim,
  type IdempotencyReservation,
} from '../shared/idempotency.js';
import type { BatchStatement, Database, Db, Writes } from './database.js';
import { PreparedQueries } from './prepared.js';
import { idempotencyKeys } from './schema.js';

/**
 * A prepared statement's placeholder, its value given at each execution as the driver stores it
 * (epoch milliseconds): wrapped in `sql`, so no column's encoder sees it (db/prepared.ts).
 */
const p = PreparedQueries.placeholder;

/** This reservation (`id`, `reservedAt`), still in flight. */
const heldBy = (id: SQL | number, reservedAt: SQL | Date) =>
  and(
    eq(idempotencyKeys.id, id),
    eq(idempotencyKeys.createdAt, reservedAt),
    isNull(idempotencyKeys.status),
  );

const RECORD_COLUMNS = {
  id: idempotencyKeys.id,
  fingerprint: idempotencyKeys.fingerprint,
  status: idempotencyKeys.status,
  body: idempotencyKeys.body,
  resourceId: idempotencyKeys.resourceId,
  createdAt: idempotencyKeys.createdAt,
  expiresAt: idempotencyKeys.expiresAt,
};

/**
 * Idempotency records in the `idempotency_keys` table. Every statement is prepared once (building
 * Drizzle's SQL costs more than SQLite takes to run it), and every read goes through the writer
 * (on better-sqlite3 inside a group-commit write): a reservation made by another request of the
 * same open batch is visible there, not yet on the reader connection.
 */
export class DrizzleIdempotencyRepository implements IdempotencyRepository {
  private readonly writes: Writes;
  private readonly statements;

  constructor(database: Pick<Database, 'writes'>) {
    this.writes = database.writes;
    const db = this.writes.db;
    this.statements = {
      reserve: db
        .insert(idempotencyKeys)
        .values({
          principal: p('principal'),
          key: p('key'),
          fingerprint: p('fingerprint'),
          createdAt: p('now'),
          expiresAt: p('expiresAt'),
        })
        // A taken key is ours only if its record expired, or is a reservation of the same request
        // abandoned in flight; the WHERE is the compare-and-set, so of two takers one wins.
        .onConflictDoUpdate({
          target: [idempotencyKeys.principal, idempotencyKeys.key],
          set: {
            fingerprint: sql`excluded.fingerprint`,
            status: null,
            body: null,
            resourceId: null,
            createdAt: sql`excluded.created_at`,
            expiresAt: sql`excluded.expires_at`,
          },
          setWhere: or(
            lte(idempotencyKeys.expiresAt, p('now')),
            and(
              isNull(idempotencyKeys.status),
              lte(idempotencyKeys.createdAt, p('abandonedBefore')),
              eq(idempotencyKeys.fingerprint, sql`excluded.fingerprint`),
            ),
          ),
        })
        .returning({ id: idempotencyKeys.id, createdAt: idempotencyKeys.createdAt })
        .prepare(),
      find: db
        .select(RECORD_COLUMNS)
        .from(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.principal, p('principal')),
            eq(idempotencyKeys.key, p('key')),
            gt(idempotencyKeys.expiresAt, p('now')),
          ),
        )
        .prepare(),
      finish: db
        .update(idempotencyKeys)
        .set({ status: p('status'), body: p('body') })
        .where(
          and(
            eq(idempotencyKeys.id, p('id')),
            eq(idempotencyKeys.createdAt, p('reservedAt')),
            // In flight, or completed by its creation with this status and no body yet.
            or(
              isNull(idempotencyKeys.status),
              and(eq(idempotencyKeys.status, p('status')), isNull(idempotencyKeys.body)),
            ),
          ),
        )
        .returning({ id: idempotencyKeys.id })
        .prepare(),
      release: db
        .delete(idempotencyKeys)
        .where(heldBy(p('id'), p('reservedAt')))
        .returning({ id: idempotencyKeys.id })
        .prepare(),
      // A bounded batch through the expires_at index, so a sweep never holds the write lock long.
      deleteExpired: db
        .delete(idempotencyKeys)
        .where(
          inArray(
            idempotencyKeys.id,
            db
              .select({ id: idempotencyKeys.id })
              .from(idempotencyKeys)
              .where(lte(idempotencyKeys.expiresAt, p('now')))
              .orderBy(idempotencyKeys.expiresAt)
              .limit(p('limit') as unknown as number),
          ),
        )
        .returning({ id: idempotencyKeys.id })
        .prepare(),
    };
  }

  async reserve(reservation: NewReservation): Promise<IdempotencyReservation | null> {
    const [row] = await this.writes.run(() =>
      this.statements.reserve.all({
        principal: reservation.principal,
        key: reservation.key,
        fingerprint: reservation.fingerprint,
        now: reservation.now.getTime(),
        expiresAt: reservation.expiresAt.getTime(),
        abandonedBefore: reservation.abandonedBefore.getTime(),
      }),
    );
    return row ? { id: row.id, reservedAt: row.createdAt.getTime() } : null;
  }

  async find(principal: string, key: string, now: Date): Promise<IdempotencyRecord | null> {
    const [row] = await this.writes.run(() =>
      this.statements.find.all({ principal, key, now: now.getTime() }),
    );
    return row ?? null;
  }

  async finish(
    reservation: IdempotencyReservation,
    status: number,
    body: string,
  ): Promise<boolean> {
    const rows = await this.writes.run(() =>
      this.statements.finish.all({ ...reservation, status, body }),
    );
    return rows.length > 0;
  }

  async release(reservation: IdempotencyReservation): Promise<void> {
    await this.writes.run(() => this.statements.release.all({ ...reservation }));
  }

  async deleteExpired(now: Date, limit: number): Promise<number> {
    const rows = await this.writes.run(() =>
      this.statements.deleteExpired.all({ now: now.getTime(), limit }),
    );
    return rows.length;
  }
}

const preparedCompletions = new WeakMap<Db, { all(values: Record<string, unknown>): unknown }>();

/**
 * Ties a claim to the row the statement just before it inserted, for `Writes.batch`: status and
 * resource id, in the same commit as the row. `changes() = 1` applies it only when that insert
 * inserted (a job missing or archived inserts nothing), `last_insert_rowid()` is the new row's id.
 * When the claim is no longer this request's (taken over after its lease), the CASE makes the
 * fingerprint NULL, whose NOT NULL constraint fails the statement and so the whole batch: the
 * row is not created twice.
 */
function completion(writes: Writes, claim: IdempotencyClaim): BatchStatement {
  const define = (bind: (name: string, value: number) => SQL) =>
    writes.db
      .update(idempotencyKeys)
      .set({
        status: bind('status', claim.createdStatus),
        resourceId: sql`last_insert_rowid()`,
        fingerprint: sql`CASE WHEN ${idempotencyKeys.createdAt} = ${bind('reservedAt', claim.reservedAt)} AND ${idempotencyKeys.status} IS NULL THEN ${idempotencyKeys.fingerprint} END`,
      })
      .where(and(eq(idempotencyKeys.id, bind('id', claim.id)), sql`changes() = 1`))
      .returning({ id: idempotencyKeys.id });
  return {
    build: () => define((_name, value) => sql`${value}`),
    run: () => {
      let prepared = preparedCompletions.get(writes.db);
      if (!prepared) {
        prepared = define(p).prepare();
        preparedCompletions.set(writes.db, prepared);
      }
      const { id, reservedAt, createdStatus } = claim;
      return prepared.all({ id, reservedAt, status: createdStatus });
    },
  };
}

/**
 * Runs an INSERT ... RETURNING and, with a claim, records the claim's completion in the same
 * commit; resolves with the insert's rows. A claim lost to a takeover creates nothing and is a
 * 409 IDEMPOTENCY_KEY_IN_FLIGHT (the request that took it over answers for the key).
 */
export async function insertClaiming<Row>(
  writes: Writes,
  insert: BatchStatement,
  claim: IdempotencyClaim,
): Promise<Row[]> {
  try {
    const [rows] = await writes.batch([insert, completion(writes, claim)]);
    return rows as Row[];
  } catch (error) {
    if (await claimLost(writes, claim)) throw idempotencyKeyInFlight();
    throw error;
  }
}

async function claimLost(writes: Writes, claim: IdempotencyClaim): Promise<boolean> {
  const [row] = await writes.run(() =>
    writes.db
      .select({ id: idempotencyKeys.id })
      .from(idempotencyKeys)
      .where(heldBy(claim.id, new Date(claim.reservedAt)))
      .all(),
  );
  return row === undefined;
}
