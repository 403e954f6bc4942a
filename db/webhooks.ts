import type {
  AttemptResult,
  ClaimedDelivery,
  NewWebhook,
  WebhookChanges,
  WebhookRepository,
} from '../shared/repositories.js';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Delivery, Webhook, WebhookEventType } from '../shared/webhooks/model.js';
import { TEST_EVENT_TYPE } from '../shared/webhooks/model.js';
import type { BatchStatement, Database, Db, Writes } from './database.js';
import { webhookAttempts, webhookDeliveries, webhookEvents, webhooks } from './schema.js';

type WebhookRow = typeof webhooks.$inferSelect;

/** The rows of /api/webhooks; the others are notification channels (db/channels.ts). */
const WEBHOOK_TYPE = 'webhook';

const toWebhook = (row: WebhookRow): Webhook => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: JSON.parse(row.events) as WebhookEventType[],
  projectId: row.projectId,
  jobId: row.jobId,
  enabled: row.enabled,
  disabledReason: row.disabledReason,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/**
 * A channel's deliveries go out in order (PagerDuty must see a job's trigger before its
 * resolve): one waits while an older one of its channel is being retried. Fresh ones are
 * claimed together and sent one after another (shared/webhooks/dispatcher.ts). Webhooks are
 * unordered, as Standard Webhooks receivers expect. A test send (`only`) skips the queue.
 */
const IN_ORDER = sql`AND (w.type = 'webhook' OR NOT EXISTS (
  SELECT 1 FROM webhook_deliveries p WHERE p.webhook_id = d.webhook_id AND p.id < d.id
    AND p.status = 'pending' AND p.attempts > 0))`;

type Literal = string | number | null;

/** A value as an SQL literal: D1's batch cannot bind parameters of a raw statement. */
export const literal = (value: Literal): string => {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  // NUL cannot appear in an SQL text literal; nothing we store needs it.
  return `'${value.replaceAll('\0', '').replaceAll("'", "''")}'`;
};

/**
 * A raw statement for `Writes.batch`, its values inlined as literals (D1's batch sends raw
 * statements unbound); better-sqlite3 runs the same text at once.
 */
export const statement =
  (db: Db) =>
  (strings: TemplateStringsArray, ...values: Literal[]): BatchStatement => {
    const text = strings.reduce(
      (acc, part, i) => acc + part + (i < values.length ? literal(values[i]!) : ''),
      '',
    );
    const query = sql.raw(text);
    return { build: () => db.all(query) as never, run: () => db.all(query) };
  };

/** Webhooks, the outbox's deliveries and their attempts, over any driver. */
export class DrizzleWebhookRepository implements WebhookRepository {
  private readonly db: Db;
  private readonly writes: Writes;

  constructor(database: Pick<Database, 'db' | 'writes'>) {
    this.db = database.db;
    this.writes = database.writes;
  }

  async create(webhook: NewWebhook): Promise<Webhook> {
    const [row] = await this.writes.run(() =>
      this.writes.db
        .insert(webhooks)
        .values({
          ...webhook,
          events: JSON.stringify(webhook.events),
          updatedAt: webhook.createdAt,
        })
        .returning()
        .all(),
    );
    return toWebhook(row!);
  }

  async list(projectId: number | null): Promise<Webhook[]> {
    const rows = await this.db
      .select()
      .from(webhooks)
      .where(
        and(
          eq(webhooks.type, WEBHOOK_TYPE),
          projectId === null ? undefined : eq(webhooks.projectId, projectId),
        ),
      )
      .orderBy(asc(webhooks.id))
      .all();
    return rows.map(toWebhook);
  }

  async findById(id: number): Promise<Webhook | null> {
    const [row] = await this.db
      .select()
      .from(webhooks)
      .where(and(eq(webhooks.id, id), eq(webhooks.type, WEBHOOK_TYPE)))
      .all();
    return row ? toWebhook(row) : null;
  }

  async update(id: number, changes: WebhookChanges, now: Date): Promise<Webhook | null> {
    const [row] = await this.writes.run(() =>
      this.writes.db
        .update(webhooks)
        .set({
          ...(changes.url !== undefined && { url: changes.url }),
          ...(changes.description !== undefined && { description: changes.description }),
          ...(changes.events !== undefined && { events: JSON.stringify(changes.events) }),
          // Enabling again clears the reason it was disabled for.
          ...(changes.enabled !== undefined && { enabled: changes.enabled, disabledReason: null }),
          updatedAt: now,
        })
        .where(eq(webhooks.id, id))
        .returning()
        .all(),
    );
    return row ? toWebhook(row) : null;
  }

  async delete(id: number): Promise<boolean> {
    const rows = await this.writes.run(() =>
      this.writes.db
        .delete(webhooks)
        .where(eq(webhooks.id, id))
        .returning({ id: webhooks.id })
        .all(),
    );
    return rows.length > 0;
  }

  async deliveries(webhookId: number, limit: number): Promise<Delivery[]> {
    const rows = await this.db
      .select({
        id: webhookDeliveries.id,
        webhookId: webhookDeliveries.webhookId,
        eventId: webhookEvents.uid,
        eventType: webhookEvents.type,
        status: webhookDeliveries.status,
        attempts: webhookDeliveries.attempts,
        nextAttemptAt: webhookDeliveries.nextAttemptAt,
        createdAt: webhookDeliveries.createdAt,
      })
      .from(webhookDeliveries)
      .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
      .where(eq(webhookDeliveries.webhookId, webhookId))
      .orderBy(desc(webhookDeliveries.id))
      .limit(limit)
      .all();
    if (rows.length === 0) return [];
    const attempts = await this.db
      .select()
      .from(webhookAttempts)
      .where(
        inArray(
          webhookAttempts.deliveryId,
          rows.map((row) => row.id),
        ),
      )
      .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.attempt))
      .all();
    return rows.map((row) => ({
      ...row,
      nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
      log: attempts
        .filter((attempt) => attempt.deliveryId === row.id)
        .map(({ attempt, responseStatus, error, durationMs, responseExcerpt, createdAt }) => ({
          attempt,
          responseStatus,
          error,
          durationMs,
          responseExcerpt,
          createdAt,
        })),
    }));
  }

  async enqueueTest(webhookId: number, data: string, now: Date): Promise<number> {
    const at = now.getTime();
    const uid = `msg_${crypto.randomUUID().replaceAll('-', '')}`;
    const raw = statement(this.writes.db);
    // One commit: the event, then its delivery pointing at it (found by the event's uid).
    await this.writes.batch([
      raw`INSERT INTO webhook_events (uid, type, job_id, run_id, data, created_at)
            VALUES (${uid}, ${TEST_EVENT_TYPE}, NULL, NULL, ${data}, ${at}) RETURNING id`,
      raw`INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
            SELECT ${webhookId}, id, 'pending', 0, ${at}, ${at}, ${at} FROM webhook_events WHERE uid = ${uid}
            RETURNING id`,
    ]);
    const [row] = await this.writes.run(() =>
      this.writes.db
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
        .where(eq(webhookEvents.uid, uid))
        .all(),
    );
    return row!.id;
  }

  async claimDue(
    now: Date,
    leaseUntil: Date,
    token: string,
    limit: number,
    only?: number,
  ): Promise<ClaimedDelivery[]> {
    const at = now.getTime();
    const onlyThis = only === undefined ? IN_ORDER : sql`AND d.id = ${only}`;
    // Picked and leased by one UPDATE: SQLite runs it whole under the write lock, so a delivery
    // another dispatcher leased a moment ago is no longer free here (the outer WHERE repeats it).
    const claimed = await this.writes.run(() =>
      this.writes.db.all<{ id: number }>(sql`
        UPDATE webhook_deliveries SET lease_until = ${leaseUntil.getTime()}, lease_token = ${token}
        WHERE id IN (
          SELECT d.id FROM webhook_deliveries d CROSS JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= ${at}
            AND (d.lease_until IS NULL OR d.lease_until <= ${at}) AND w.enabled = 1 ${onlyThis}
          ORDER BY d.next_attempt_at, d.id LIMIT ${limit}
        )
        AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ${at})
        RETURNING id`),
    );
    if (claimed.length === 0) return [];
    const rows = await this.writes.run(() =>
      this.writes.db
        .select({
          id: webhookDeliveries.id,
          webhookId: webhookDeliveries.webhookId,
          attempts: webhookDeliveries.attempts,
          type: webhooks.type,
          config: webhooks.config,
          url: webhooks.url,
          secret: webhooks.secret,
          jobId: webhookEvents.jobId,
          runId: webhookEvents.runId,
          eventId: webhookEvents.uid,
          eventType: webhookEvents.type,
          eventCreatedAt: webhookEvents.createdAt,
          data: webhookEvents.data,
        })
        .from(webhookDeliveries)
        .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
        .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
        .where(
          and(
            inArray(
              webhookDeliveries.id,
              claimed.map((row) => Number(row.id)),
            ),
            eq(webhookDeliveries.leaseToken, token),
          ),
        )
        .all(),
    );
    return rows.map((row) => ({ ...row, leaseToken: token }));
  }

  async hasDue(now: Date): Promise<boolean> {
    const at = now.getTime();
    // claimDue's conditions, read only (the partial due index, then the webhook by its key).
    const rows = await this.db.all<{ due: number }>(sql`
      SELECT 1 AS due FROM webhook_deliveries d CROSS JOIN webhooks w ON w.id = d.webhook_id
      WHERE d.status = 'pending' AND d.next_attempt_at <= ${at}
        AND (d.lease_until IS NULL OR d.lease_until <= ${at}) AND w.enabled = 1 ${IN_ORDER}
      LIMIT 1`);
    return rows.length > 0;
  }

  async release(deliveries: ClaimedDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.writes.run(() =>
      this.writes.db
        .update(webhookDeliveries)
        .set({ leaseUntil: null, leaseToken: null })
        .where(
          and(
            inArray(
              webhookDeliveries.id,
              deliveries.map((delivery) => delivery.id),
            ),
            eq(webhookDeliveries.leaseToken, deliveries[0]!.leaseToken),
          ),
        )
        .returning({ id: webhookDeliveries.id })
        .all(),
    );
  }

  async record(result: AttemptResult, now: Date): Promise<void> {
    const { delivery, attempt } = result;
    const at = now.getTime();
    const raw = statement(this.writes.db);
    const statements: [BatchStatement, ...BatchStatement[]] = [
      // Logged only while the lease is ours: a dispatcher whose lease ran out records nothing.
      raw`INSERT INTO webhook_attempts (delivery_id, attempt, response_status, error, duration_ms, response_excerpt, created_at)
            SELECT id, attempts + 1, ${attempt.responseStatus}, ${attempt.error}, ${attempt.durationMs},
              ${attempt.responseExcerpt}, ${attempt.createdAt.getTime()}
            FROM webhook_deliveries WHERE id = ${delivery.id} AND lease_token = ${delivery.leaseToken} RETURNING id`,
      raw`UPDATE webhook_deliveries SET attempts = attempts + 1, status = ${result.status},
              next_attempt_at = ${result.nextAttemptAt?.getTime() ?? at},
              lease_until = NULL, lease_token = NULL, updated_at = ${at}
            WHERE id = ${delivery.id} AND lease_token = ${delivery.leaseToken} RETURNING id`,
    ];
    if (result.disableReason)
      statements.push(
        raw`UPDATE webhooks SET enabled = 0, disabled_reason = ${result.disableReason}, updated_at = ${at}
              WHERE id = ${delivery.webhookId} AND enabled = 1 RETURNING id`,
      );
    await this.writes.batch(statements);
  }
}
