import type { WebhookInput, WebhookPatch } from '../inputs.js';
import type { ProjectScope } from '../access.js';
import { invalid, notFound } from '../errors.js';
import type { Logger } from '../logger.js';
import type { JobRepository, WebhookRepository } from '../repositories.js';
import type { WebhookDispatcher, WebhookSettings } from '../webhooks/dispatcher.js';
import type { Delivery, Webhook } from '../webhooks/model.js';
import { generateWebhookSecret } from '../webhooks/signing.js';
import { creationUrlProblem, type Resolver } from '../webhooks/url-guard.js';

const DELIVERIES_SHOWN = 50;

/**
 * Webhooks for callers with the write scope. A project-scoped key's webhooks are bound to its
 * project (it cannot create one for all projects) and it sees no other project's; another
 * project's webhook is a 404, as for jobs.
 */
export class WebhookService {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly jobs: JobRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly settings: WebhookSettings,
    private readonly now: () => Date,
    private readonly logger: Logger,
    /** Node: names are resolved at creation as at delivery; Workers: none. */
    private readonly resolve?: Resolver,
  ) {}

  async create(
    input: WebhookInput,
    scope: ProjectScope,
  ): Promise<{ webhook: Webhook; secret: string }> {
    await this.checkUrl(input.url);
    let projectId = input.projectId ?? null;
    if (scope !== null) {
      if (projectId !== null && projectId !== scope) throw notFound('project', projectId);
      projectId = scope;
    }
    if (input.jobId !== undefined) {
      const job = await this.jobs.findById(input.jobId, scope);
      if (!job) throw notFound('job', input.jobId);
      if (projectId !== null && job.projectId !== projectId)
        throw invalid('jobId', `job ${job.id} is not in project ${projectId}`);
      projectId = job.projectId;
    }
    const secret = generateWebhookSecret();
    const webhook = await this.webhooks.create({
      url: input.url,
      description: input.description ?? null,
      events: [...new Set(input.events)],
      projectId,
      jobId: input.jobId ?? null,
      secret,
      createdAt: this.now(),
    });
    this.logger.info('webhook created', { webhookId: webhook.id, projectId });
    return { webhook, secret };
  }

  list(scope: ProjectScope): Promise<Webhook[]> {
    return this.webhooks.list(scope);
  }

  async get(id: number, scope: ProjectScope): Promise<Webhook> {
    const webhook = await this.webhooks.findById(id);
    if (!webhook || (scope !== null && webhook.projectId !== scope)) throw notFound('webhook', id);
    return webhook;
  }

  async update(id: number, patch: WebhookPatch, scope: ProjectScope): Promise<Webhook> {
    await this.get(id, scope);
    if (patch.url !== undefined) await this.checkUrl(patch.url);
    const changes = patch.events ? { ...patch, events: [...new Set(patch.events)] } : patch;
    const webhook = await this.webhooks.update(id, changes, this.now());
    if (!webhook) throw notFound('webhook', id);
    return webhook;
  }

  async delete(id: number, scope: ProjectScope): Promise<void> {
    await this.get(id, scope);
    if (!(await this.webhooks.delete(id))) throw notFound('webhook', id);
    this.logger.info('webhook deleted', { webhookId: id });
  }

  async deliveries(id: number, scope: ProjectScope): Promise<Delivery[]> {
    await this.get(id, scope);
    return this.webhooks.deliveries(id, DELIVERIES_SHOWN);
  }

  /**
   * Sends a `webhook.test` event now and answers with its delivery as it stands afterwards. A
   * failed test is retried like any delivery; a disabled webhook's test waits until re-enabled.
   */
  async test(id: number, scope: ProjectScope): Promise<Delivery> {
    const webhook = await this.get(id, scope);
    const now = this.now();
    const data = JSON.stringify({
      webhook: { id: webhook.id, url: webhook.url },
      message: 'A test event from ChronoTrack.',
    });
    const deliveryId = await this.webhooks.enqueueTest(id, data, now);
    if (webhook.enabled) await this.dispatcher.dispatch(deliveryId);
    const [delivery] = (await this.webhooks.deliveries(id, DELIVERIES_SHOWN)).filter(
      (candidate) => candidate.id === deliveryId,
    );
    return delivery!;
  }

  /** Refuses what a delivery would refuse, so the user learns it now, not at the first event. */
  private async checkUrl(url: string): Promise<void> {
    const problem = await creationUrlProblem(url, this.settings.allowPrivate, this.resolve);
    if (problem) throw invalid('url', problem);
  }
}
