import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Channel, ChannelConfig, ChannelType } from '../shared/channels/model.js';
import { channelTarget } from '../shared/channels/model.js';
import type {
  ChannelChanges,
  ChannelRepository,
  ClaimedDelivery,
  FailureNotices,
  NewChannel,
  NotificationFacts,
} from '../shared/repositories.js';
import type { WebhookEventType } from '../shared/webhooks/model.js';
import type { Database, Db, Writes } from './database.js';
import { webhooks } from './schema.js';

type Row = typeof webhooks.$inferSelect;

/** Where the config's `type` lives: the row's `type` column, not the JSON. */
const toChannel = (row: Row): Channel => ({
  id: row.id,
  name: row.name ?? '',
  config: { ...(JSON.parse(row.config ?? '{}') as object), type: row.type } as ChannelConfig,
  events: JSON.parse(row.events) as WebhookEventType[],
  projectId: row.projectId,
  jobIds: row.jobIds === null ? null : (JSON.parse(row.jobIds) as number[]),
  enabled: row.enabled,
  disabledReason: row.disabledReason,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const configJson = ({ type: _type, ...rest }: ChannelConfig) => JSON.stringify(rest);

const isChannel = ne(webhooks.type, 'webhook');

const ms = (value: number | null | undefined) => (value == null ? null : new Date(Number(value)));

/**
 * Notification channels: rows of `webhooks` whose `type` is a channel type, so the outbox
 * triggers fan events out to them like to any webhook (migration 0009), and the dispatcher's
 * lease, retries, deliveries log and disabling are the webhooks' own (db/webhooks.ts).
 */
export class DrizzleChannelRepository implements ChannelRepository {
  private readonly db: Db;
  private readonly writes: Writes;

  constructor(database: Pick<Database, 'db' | 'writes'>) {
    this.db = database.db;
    this.writes = database.writes;
  }

  async create(channel: NewChannel): Promise<Channel> {
    const [row] = await this.writes.run(() =>
      this.writes.db
        .insert(webhooks)
        .values({
          type: channel.config.type satisfies ChannelType,
          name: channel.name,
          config: configJson(channel.config),
          url: channelTarget(channel.config),
          // Channels sign nothing; the column is the webhooks' and must hold a value.
          secret: '',
          events: JSON.stringify(channel.events),
          projectId: channel.projectId,
          jobIds: channel.jobIds === null ? null : JSON.stringify(channel.jobIds),
          createdAt: channel.createdAt,
          updatedAt: channel.createdAt,
        })
        .returning()
        .all(),
    );
    return toChannel(row!);
  }

  async list(projectId: number | null): Promise<Channel[]> {
    const rows = await this.db
      .select()
      .from(webhooks)
      .where(and(isChannel, projectId === null ? undefined : eq(webhooks.projectId, projectId)))
      .orderBy(asc(webhooks.id))
      .all();
    return rows.map(toChannel);
  }

  async findById(id: number): Promise<Channel | null> {
    const [row] = await this.db
      .select()
      .from(webhooks)
      .where(and(eq(webhooks.id, id), isChannel))
      .all();
    return row ? toChannel(row) : null;
  }

  async update(id: number, changes: ChannelChanges, now: Date): Promise<Channel | null> {
    const [row] = await this.writes.run(() =>
      this.writes.db
        .update(webhooks)
        .set({
          ...(changes.name !== undefined && { name: changes.name }),
          ...(changes.config !== undefined && {
            type: changes.config.type,
            config: configJson(changes.config),
            url: channelTarget(changes.config),
          }),
          ...(changes.events !== undefined && { events: JSON.stringify(changes.events) }),
          ...(changes.jobIds !== undefined && {
            jobIds: changes.jobIds === null ? null : JSON.stringify(changes.jobIds),
          }),
          // Enabling again clears the reason it was disabled for.
          ...(changes.enabled !== undefined && { enabled: changes.enabled, disabledReason: null }),
          updatedAt: now,
        })
        .where(and(eq(webhooks.id, id), isChannel))
        .returning()
        .all(),
    );
    return row ? toChannel(row) : null;
  }

  async delete(id: number): Promise<boolean> {
    const rows = await this.writes.run(() =>
      this.writes.db
        .delete(webhooks)
        .where(and(eq(webhooks.id, id), isChannel))
        .returning({ id: webhooks.id })
        .all(),
    );
    return rows.length > 0;
  }

  async notificationFacts(delivery: ClaimedDelivery): Promise<NotificationFacts> {
    const { jobId, runId } = delivery;
    if (jobId === null)
      return { projectName: null, output: null, lastSuccessAt: null, downSince: null };
    const before = delivery.eventCreatedAt.getTime();
    // One read: the project's name, the run's output, the job's latest success and (for job.up)
    // its first late or down event since its previous recovery: when the outage began.
    const [row] = await this.db.all<{
      projectName: string | null;
      output: string | null;
      lastSuccessAt: number | null;
      downSince: number | null;
    }>(sql`
      SELECT
        (SELECT p.name FROM projects p JOIN jobs j ON j.project_id = p.id WHERE j.id = ${jobId}) AS projectName,
        (SELECT r.output FROM job_runs r WHERE r.id = ${runId ?? -1}) AS output,
        (SELECT max(r.finished_at) FROM job_runs r WHERE r.job_id = ${jobId} AND r.status = 'SUCCESS') AS lastSuccessAt,
        (SELECT min(e.created_at) FROM webhook_events e
          WHERE e.job_id = ${jobId} AND (e.type = 'job.late' OR e.type = 'job.down')
            AND e.created_at <= ${before}
            AND e.created_at > coalesce((SELECT max(u.created_at) FROM webhook_events u
              WHERE u.job_id = ${jobId} AND u.type = 'job.up' AND u.created_at < ${before}), -1)
        ) AS downSince`);
    return {
      projectName: row?.projectName ?? null,
      output: row?.output ?? null,
      lastSuccessAt: ms(row?.lastSuccessAt),
      downSince: delivery.eventType === 'job.up' ? ms(row?.downSince) : null,
    };
  }

  async failureNotices(delivery: ClaimedDelivery): Promise<FailureNotices> {
    const rows = await this.db.all<{ status: string; createdAt: number }>(sql`
      SELECT d.status AS status, e.created_at AS createdAt
      FROM webhook_deliveries d CROSS JOIN webhook_events e ON e.id = d.event_id
      WHERE d.webhook_id = ${delivery.webhookId} AND d.id < ${delivery.id}
        AND e.job_id = ${delivery.jobId ?? -1} AND e.type = 'run.failed'
        AND d.id > coalesce((SELECT max(n.id) FROM webhook_deliveries n CROSS JOIN webhook_events ne ON ne.id = n.event_id
          WHERE n.webhook_id = ${delivery.webhookId} AND n.id < ${delivery.id} AND n.status <> 'held'
            AND ne.job_id = ${delivery.jobId ?? -1} AND ne.type = 'run.failed'), 0) - 1
      ORDER BY d.id`);
    const [first, ...rest] = rows;
    const notified = first && first.status !== 'held' ? first : undefined;
    const held = notified ? rest : rows;
    return {
      lastNotifiedAt: notified ? new Date(Number(notified.createdAt)) : null,
      held:
        held.length > 0
          ? { count: held.length, since: new Date(Number(held[0]!.createdAt)) }
          : null,
    };
  }

  async hold(delivery: ClaimedDelivery, now: Date): Promise<void> {
    await this.writes.run(() =>
      this.writes.db.all(sql`
        UPDATE webhook_deliveries SET status = 'held', lease_until = NULL, lease_token = NULL,
          updated_at = ${now.getTime()}
        WHERE id = ${delivery.id} AND lease_token = ${delivery.leaseToken} RETURNING id`),
    );
  }
}
