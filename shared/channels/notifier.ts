import { jobHealth } from '../job-health.js';
import { publicLinks } from '../links.js';
import type { ChannelRepository, ClaimedDelivery, JobRepository } from '../repositories.js';
import { channelMessage, type ChannelMessage } from './messages/index.js';
import type { ChannelConfig, ChannelType } from './model.js';
import { outputTail, type Notification } from './notification.js';

export interface ChannelSettings {
  /** NOTIFY_MIN_INTERVAL_SECONDS: per channel and job, at most one run.failed message this often. */
  notifyMinIntervalSeconds: number;
  /** PUBLIC_URL: the base of the dashboard links in every message; null: no links. */
  publicUrl: string | null;
}

/** What the dispatcher does with a channel's delivery: hold it back, or send this. */
export type ChannelSend = { hold: true } | { hold: false; message: ChannelMessage };

/** The snapshot the outbox triggers wrote (db/migrations/0007_webhooks.sql). */
interface EventData {
  run?: {
    id: number;
    exitCode: number | null;
    errorMessage: string | null;
    durationMs: number | null;
  };
  job?: { id: number; key: string; name: string };
}

/**
 * Turns a channel's claimed delivery into the message its type sends (shared/channels/messages/):
 * the event's snapshot plus what a person needs that the snapshot lacks (the project's name, the
 * output tail, when the run was expected and last succeeded, how long the job was down). And the
 * noise control: a run.failed within NOTIFY_MIN_INTERVAL_SECONDS of the last one notified for
 * the same channel and job is held back, and counted in the next message.
 */
export class ChannelNotifier {
  constructor(
    private readonly channels: ChannelRepository,
    private readonly jobs: JobRepository,
    private readonly settings: ChannelSettings,
  ) {}

  /** Marks a delivery held back: never sent, counted in the next message. */
  hold(delivery: ClaimedDelivery, now: Date): Promise<void> {
    return this.channels.hold(delivery, now);
  }

  async prepare(delivery: ClaimedDelivery): Promise<ChannelSend> {
    let held: Notification['held'] = null;
    // Only a first attempt is held: a retry of a message already decided on is sent.
    if (delivery.eventType === 'run.failed' && delivery.attempts === 0) {
      const notices = await this.channels.failureNotices(delivery);
      const intervalMs = this.settings.notifyMinIntervalSeconds * 1000;
      if (
        notices.lastNotifiedAt &&
        delivery.eventCreatedAt.getTime() - notices.lastNotifiedAt.getTime() < intervalMs
      )
        return { hold: true };
      held = notices.held;
    }
    const config = {
      ...(JSON.parse(delivery.config ?? '{}') as object),
      type: delivery.type as ChannelType,
    } as ChannelConfig;
    return {
      hold: false,
      message: channelMessage(config, await this.notification(delivery, held)),
    };
  }

  private links(jobId: number, runId: number | null): Notification['links'] {
    const links = publicLinks(this.settings.publicUrl);
    const job = links.job(jobId);
    return job ? { job, run: runId === null ? null : links.run(runId) } : null;
  }

  private async notification(
    delivery: ClaimedDelivery,
    held: Notification['held'],
  ): Promise<Notification> {
    const data = JSON.parse(delivery.data) as EventData;
    const at = delivery.eventCreatedAt;
    if (!data.job)
      return {
        event: delivery.eventType,
        at,
        job: null,
        run: null,
        expectedAt: null,
        lastSuccessAt: null,
        downSince: null,
        held: null,
        links: null,
      };
    const facts = await this.channels.notificationFacts(delivery);
    let expectedAt: Date | null = null;
    if (delivery.eventType === 'job.late' || delivery.eventType === 'job.down') {
      const job = await this.jobs.findById(data.job.id);
      const expected = job ? jobHealth(job, at).nextExpectedAt : null;
      // A job down because its run failed may be expected later: only a missed time is news.
      expectedAt = expected && expected <= at ? expected : null;
    }
    return {
      event: delivery.eventType,
      at,
      job: {
        id: data.job.id,
        name: data.job.name,
        key: data.job.key,
        projectName: facts.projectName,
      },
      run: data.run
        ? {
            id: data.run.id,
            exitCode: data.run.exitCode,
            errorMessage: data.run.errorMessage,
            durationMs: data.run.durationMs,
            outputTail: delivery.eventType === 'run.failed' ? outputTail(facts.output) : null,
          }
        : null,
      expectedAt,
      lastSuccessAt: facts.lastSuccessAt,
      downSince: facts.downSince,
      held,
      links: this.links(data.job.id, data.run?.id ?? null),
    };
  }
}
