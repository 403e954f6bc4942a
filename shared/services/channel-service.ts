import type { ProjectScope } from '../access.js';
import {
  PAGERDUTY_EVENTS,
  channelTarget,
  type Channel,
  type ChannelConfig,
} from '../channels/model.js';
import { NO_MAIL_TRANSPORT } from '../channels/mailer.js';
import { DomainError, invalid, notFound } from '../errors.js';
import type { ChannelInput, ChannelPatch } from '../inputs.js';
import type { Logger } from '../logger.js';
import type {
  ChannelRepository,
  JobRepository,
  ProjectRepository,
  WebhookRepository,
} from '../repositories.js';
import type { WebhookDispatcher, WebhookSettings } from '../webhooks/dispatcher.js';
import type { Delivery, WebhookEventType } from '../webhooks/model.js';
import { creationUrlProblem, type Resolver } from '../webhooks/url-guard.js';

const DELIVERIES_SHOWN = 50;

/**
 * Notification channels (admin scope to change, read to list). Scoped like webhooks: a
 * project-scoped key's channels are bound to its project and it sees no other's (404).
 * Deliveries, tests and retries are the webhooks' own: a channel is a row of that table.
 */
export class ChannelService {
  constructor(
    private readonly channels: ChannelRepository,
    private readonly webhooks: WebhookRepository,
    private readonly jobs: JobRepository,
    private readonly projects: ProjectRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly settings: WebhookSettings,
    private readonly now: () => Date,
    private readonly logger: Logger,
    /** A mail transport is configured: email channels can be sent. */
    private readonly canMail: boolean,
    /** Node: names are resolved at creation as at delivery; Workers: none. */
    private readonly resolve?: Resolver,
  ) {}

  async create(input: ChannelInput, scope: ProjectScope): Promise<Channel> {
    await this.checkConfig(input.config);
    const events = this.checkEvents(input.config, input.events);
    let projectId = input.projectId ?? null;
    if (scope !== null) {
      if (projectId !== null && projectId !== scope) throw notFound('project', projectId);
      projectId = scope;
    }
    if (projectId !== null && !(await this.projects.findById(projectId)))
      throw notFound('project', projectId);
    const jobIds = input.jobIds ? await this.checkJobs(input.jobIds, projectId, scope) : null;
    const channel = await this.channels.create({
      name: input.name,
      config: input.config,
      events,
      projectId,
      jobIds,
      createdAt: this.now(),
    });
    // Never the config: its secrets stay out of logs.
    this.logger.info('channel created', {
      channelId: channel.id,
      type: input.config.type,
      projectId,
    });
    return channel;
  }

  list(scope: ProjectScope): Promise<Channel[]> {
    return this.channels.list(scope);
  }

  async get(id: number, scope: ProjectScope): Promise<Channel> {
    const channel = await this.channels.findById(id);
    if (!channel || (scope !== null && channel.projectId !== scope)) throw notFound('channel', id);
    return channel;
  }

  async update(id: number, patch: ChannelPatch, scope: ProjectScope): Promise<Channel> {
    const channel = await this.get(id, scope);
    if (patch.config) {
      if (patch.config.type !== channel.config.type)
        throw invalid(
          'config',
          `must be a ${channel.config.type} config: a channel keeps its type`,
        );
      await this.checkConfig(patch.config);
    }
    const config = patch.config ?? channel.config;
    const changes = {
      ...patch,
      ...(patch.events && { events: this.checkEvents(config, patch.events) }),
      ...(patch.jobIds && { jobIds: await this.checkJobs(patch.jobIds, channel.projectId, scope) }),
    };
    const updated = await this.channels.update(id, changes, this.now());
    if (!updated) throw notFound('channel', id);
    return updated;
  }

  async delete(id: number, scope: ProjectScope): Promise<void> {
    await this.get(id, scope);
    if (!(await this.channels.delete(id))) throw notFound('channel', id);
    this.logger.info('channel deleted', { channelId: id });
  }

  async deliveries(id: number, scope: ProjectScope): Promise<Delivery[]> {
    await this.get(id, scope);
    return this.webhooks.deliveries(id, DELIVERIES_SHOWN);
  }

  /**
   * Sends a test message now and answers with its delivery after that attempt: the receiver's
   * status and the start of its answer are in `log`. Retried like any delivery if it failed; a
   * disabled channel's test waits until it is enabled again.
   */
  async test(id: number, scope: ProjectScope): Promise<Delivery> {
    const channel = await this.get(id, scope);
    const data = JSON.stringify({
      channel: { id: channel.id, name: channel.name, type: channel.config.type },
      message: 'A test notification from ChronoTrack.',
    });
    const deliveryId = await this.webhooks.enqueueTest(id, data, this.now());
    if (channel.enabled) await this.dispatcher.dispatch(deliveryId);
    const [delivery] = (await this.webhooks.deliveries(id, DELIVERIES_SHOWN)).filter(
      (candidate) => candidate.id === deliveryId,
    );
    return delivery!;
  }

  /**
   * An email channel needs a mail transport. Otherwise the target must be https; plain http only where WEBHOOK_ALLOW_PRIVATE allows private
   * receivers (a LAN, tests), and then the webhooks' SSRF guard decides as for any webhook.
   */
  private async checkConfig(config: ChannelConfig): Promise<void> {
    // A channel that could never send is refused now, not found out a day of retries later.
    if (config.type === 'email') {
      if (!this.canMail)
        throw new DomainError('MAIL_NOT_CONFIGURED', NO_MAIL_TRANSPORT, [
          { path: 'type', message: 'email needs SMTP_URL and SMTP_FROM on the server' },
        ]);
      return;
    }
    const field = config.type === 'ntfy' || config.type === 'pagerduty' ? 'url' : 'webhookUrl';
    const url = channelTarget(config);
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      throw invalid(`config.${field}`, 'must be an https URL');
    }
    if (protocol !== 'https:' && !(protocol === 'http:' && this.settings.allowPrivate))
      throw invalid(`config.${field}`, 'must be an https URL');
    const problem = await creationUrlProblem(url, this.settings.allowPrivate, this.resolve);
    // The guard's message names the host's address class, never the URL (a secret for chats).
    if (problem) throw invalid(`config.${field}`, problem);
  }

  private checkEvents(config: ChannelConfig, events: WebhookEventType[]): WebhookEventType[] {
    const unique = [...new Set(events)];
    if (config.type === 'pagerduty') {
      const other = unique.filter((event) => !PAGERDUTY_EVENTS.includes(event));
      if (other.length > 0)
        throw invalid(
          'events',
          `a pagerduty channel takes only ${PAGERDUTY_EVENTS.join(', ')} (not ${other.join(', ')})`,
        );
    }
    return unique;
  }

  private async checkJobs(
    jobIds: number[],
    projectId: number | null,
    scope: ProjectScope,
  ): Promise<number[]> {
    const unique = [...new Set(jobIds)];
    for (const jobId of unique) {
      const job = await this.jobs.findById(jobId, scope);
      if (!job) throw notFound('job', jobId);
      if (projectId !== null && job.projectId !== projectId)
        throw invalid('jobIds', `job ${job.id} is not in project ${projectId}`);
    }
    return unique;
  }
}
