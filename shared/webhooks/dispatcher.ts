import { isoTime } from '../iso-time.js';
import type { AttemptResult, ClaimedDelivery, WebhookRepository } from '../repositories.js';
import type { Logger } from '../logger.js';
import { signWebhook } from './signing.js';
import { checkTarget, type Resolver } from './url-guard.js';
import { VERSION } from '../version.js';
import type { ChannelNotifier } from '../channels/notifier.js';
import type { ChannelMessage, HttpMessage, MailMessage } from '../channels/messages/index.js';
import { NO_MAIL_TRANSPORT, type Mailer } from '../channels/mailer.js';

/**
 * The payload version first (`/1`, the contract docs/alerts.md names), then the server's, so a
 * receiver's log tells which release sent a delivery.
 */
export const WEBHOOK_USER_AGENT = `ChronoTrack-Webhooks/1 ChronoTrack/${VERSION}`;

/**
 * Sends one attempt. `pinned`: the addresses the SSRF guard checked the URL's name by; a
 * transport that can (Node's, functions/runtime/node-webhook-fetch.ts) connects to one of those and no
 * other, with the name kept for Host and TLS. The platform's fetch (Workers) ignores it.
 */
export type WebhookFetch = (
  url: string,
  init: RequestInit,
  pinned: string[] | null,
) => Promise<Response>;

export interface WebhookSettings {
  /** WEBHOOK_ALLOW_PRIVATE: let webhooks reach loopback and private addresses. */
  allowPrivate: boolean;
  /** WEBHOOK_RETRY_BASE_SECONDS: the first retry's delay; each next one doubles. */
  retryBaseSeconds: number;
  /** WEBHOOK_RETRY_FOR_SECONDS: how long after the event a delivery is retried (a day). */
  retryForSeconds: number;
  /** WEBHOOK_TIMEOUT_SECONDS: one attempt's limit, response included. */
  timeoutSeconds: number;
}

export interface DispatcherDeps {
  repository: WebhookRepository;
  settings: WebhookSettings;
  /** Formats (and holds back) the deliveries of notification channels, the non-webhook rows. */
  notifier: ChannelNotifier;
  logger: Logger;
  now: () => Date;
  fetch?: WebhookFetch;
  /** Sends email channels' messages (with SMTP_URL); none: an email delivery fails and is retried. */
  mailer?: Mailer;
  /** Node: resolves names so the guard checks addresses (node:dns); Workers: none. */
  resolve?: Resolver;
  /** [0, 1): the jitter; injectable so tests can pin it. */
  random?: () => number;
}

/** Deliveries one dispatch claims at most; the rest wait for the next tick. */
const BATCH = 20;
/** The longest single wait between two attempts. */
const MAX_DELAY_SECONDS = 6 * 3600;
const EXCERPT_BYTES = 1024;

/**
 * Delivers the outbox: claims due deliveries with a lease (compare-and-set, so two processes
 * never send one attempt at once; a dispatcher that dies lets the lease run out and another takes
 * over), sends each signed as Standard Webhooks say, and records the attempt: 2xx succeeds; any
 * other answer, a refused address, a timeout or a network error is retried with exponential
 * backoff and jitter until `retryForSeconds` after the event, then the delivery fails and its
 * webhook is disabled with the reason. At-least-once: every attempt carries the event's id.
 */
export class WebhookDispatcher {
  private readonly fetch: WebhookFetch;
  private readonly random: () => number;

  constructor(private readonly deps: DispatcherDeps) {
    this.fetch = deps.fetch ?? ((input, init) => fetch(input, init));
    this.random = deps.random ?? Math.random;
  }

  /** One pass: delivers what is due now (in parallel); resolves with how many were attempted. */
  async dispatch(only?: number): Promise<number> {
    const now = this.deps.now();
    const token = crypto.randomUUID();
    // Long enough for the attempt's timeout and its recording; then another dispatcher may retry.
    const leaseUntil = new Date(now.getTime() + (this.deps.settings.timeoutSeconds + 30) * 1000);
    const claimed = await this.deps.repository.claimDue(now, leaseUntil, token, BATCH, only);
    // Webhooks in parallel; each channel's deliveries one after another, in order, and the rest
    // left for later once one fails, so none overtakes it (db/webhooks.ts, IN_ORDER).
    const queues = new Map<number, ClaimedDelivery[]>();
    const single: ClaimedDelivery[] = [];
    for (const delivery of [...claimed].sort((a, b) => a.id - b.id)) {
      if (delivery.type === 'webhook') single.push(delivery);
      else queues.set(delivery.webhookId, [...(queues.get(delivery.webhookId) ?? []), delivery]);
    }
    await Promise.all([
      ...single.map((delivery) => this.deliver(delivery)),
      ...[...queues.values()].map(async (queue) => {
        for (const [i, delivery] of queue.entries()) {
          if (!(await this.deliver(delivery))) {
            await this.deps.repository.release(queue.slice(i + 1));
            return;
          }
        }
      }),
    ]);
    return claimed.length;
  }

  /**
   * One pass if anything is due, found by a read first: the pass right after a write, which
   * then costs one indexed read when no webhook wants the event.
   */
  async dispatchIfDue(): Promise<number> {
    if (!(await this.deps.repository.hasDue(this.deps.now()))) return 0;
    return this.dispatch();
  }

  /** Delivers until nothing more is due (bounded), for ticks that may have a backlog. */
  async drain(maxPasses = 10): Promise<void> {
    for (let pass = 0; pass < maxPasses; pass++) {
      if ((await this.dispatch()) < BATCH) return;
    }
  }

  /** Sends (or holds back) one delivery and records it; false when the attempt failed. */
  private async deliver(delivery: ClaimedDelivery): Promise<boolean> {
    let message: ChannelMessage | null = null;
    if (delivery.type !== 'webhook') {
      const send = await this.deps.notifier.prepare(delivery);
      if (send.hold) {
        await this.deps.notifier.hold(delivery, this.deps.now());
        return true;
      }
      message = send.message;
    }
    const started = this.deps.now();
    const outcome = await this.attempt(delivery, started, message);
    const finished = this.deps.now();
    const result = this.next(delivery, outcome, finished);
    result.attempt.durationMs = Math.max(0, finished.getTime() - started.getTime());
    await this.deps.repository.record(result, finished);
    if (result.disableReason)
      this.deps.logger.warn('webhook disabled', {
        webhookId: delivery.webhookId,
        reason: result.disableReason,
      });
    return result.status === 'succeeded';
  }

  private async attempt(
    delivery: ClaimedDelivery,
    at: Date,
    message: ChannelMessage | null,
  ): Promise<{ responseStatus: number | null; error: string | null; excerpt: string | null }> {
    const { settings } = this.deps;
    if (message?.kind === 'mail') return this.mail(message);
    const target = await checkTarget(delivery.url, settings.allowPrivate, this.deps.resolve);
    if (target.problem !== null)
      return { responseStatus: null, error: target.problem, excerpt: null };
    const { body, headers } = message ?? (await this.signed(delivery, at));
    try {
      const response = await this.fetch(
        delivery.url,
        {
          method: 'POST',
          body,
          redirect: 'manual', // a redirect could lead anywhere the guard did not check
          signal: AbortSignal.timeout(settings.timeoutSeconds * 1000),
          headers: { 'User-Agent': WEBHOOK_USER_AGENT, ...headers },
        },
        target.addresses,
      );
      const excerpt = await readExcerpt(response);
      const redirect = response.status >= 300 && response.status < 400;
      return {
        responseStatus: response.status,
        error: response.ok ? null : redirect ? 'redirect not followed' : `HTTP ${response.status}`,
        excerpt,
      };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return {
        responseStatus: null,
        error: timedOut
          ? `timed out after ${settings.timeoutSeconds} s`
          : error instanceof Error
            ? describeFetchError(error)
            : String(error),
        excerpt: null,
      };
    }
  }

  /**
   * An email channel's attempt: the SMTP server's final answer is the excerpt; a refusal, a
   * timeout or a lost connection is retried like a receiver's error. No SSRF guard: the server
   * is the operator's SMTP_URL, not a user's address.
   */
  private async mail(
    message: MailMessage,
  ): Promise<{ responseStatus: number | null; error: string | null; excerpt: string | null }> {
    const { timeoutSeconds } = this.deps.settings;
    if (!this.deps.mailer) return { responseStatus: null, error: NO_MAIL_TRANSPORT, excerpt: null };
    const { kind: _kind, ...mail } = message;
    try {
      const answer = await this.deps.mailer.send(mail, AbortSignal.timeout(timeoutSeconds * 1000));
      return { responseStatus: null, error: null, excerpt: answer.slice(0, EXCERPT_BYTES) || null };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return {
        responseStatus: null,
        error: timedOut
          ? `timed out after ${timeoutSeconds} s`
          : error instanceof Error
            ? error.message
            : String(error),
        excerpt: null,
      };
    }
  }

  /** A webhook's body and Standard Webhooks headers. */
  private async signed(delivery: ClaimedDelivery, at: Date): Promise<HttpMessage> {
    const body = JSON.stringify({
      type: delivery.eventType,
      timestamp: isoTime(delivery.eventCreatedAt),
      data: JSON.parse(delivery.data) as unknown,
    });
    const timestamp = Math.floor(at.getTime() / 1000);
    return {
      kind: 'http',
      body,
      headers: {
        'Content-Type': 'application/json',
        'webhook-id': delivery.eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': await signWebhook(delivery.secret, delivery.eventId, timestamp, body),
      },
    };
  }

  private next(
    delivery: ClaimedDelivery,
    outcome: { responseStatus: number | null; error: string | null; excerpt: string | null },
    now: Date,
  ): AttemptResult {
    const attempt = {
      responseStatus: outcome.responseStatus,
      error: outcome.error,
      durationMs: 0,
      responseExcerpt: outcome.excerpt,
      createdAt: now,
    };
    if (outcome.error === null)
      return { delivery, attempt, status: 'succeeded', nextAttemptAt: null, disableReason: null };
    const { retryBaseSeconds, retryForSeconds } = this.deps.settings;
    const made = delivery.attempts + 1;
    // Exponential, with up to +20% jitter so receivers that failed together are not retried together.
    const delay =
      Math.min(MAX_DELAY_SECONDS, retryBaseSeconds * 2 ** (made - 1)) * (1 + 0.2 * this.random());
    const nextAttemptAt = new Date(now.getTime() + delay * 1000);
    const deadline = delivery.eventCreatedAt.getTime() + retryForSeconds * 1000;
    if (nextAttemptAt.getTime() <= deadline)
      return { delivery, attempt, status: 'pending', nextAttemptAt, disableReason: null };
    return {
      delivery,
      attempt,
      status: 'failed',
      nextAttemptAt: null,
      disableReason:
        `Disabled at ${isoTime(now)}: event ${delivery.eventId} (${delivery.eventType}) ` +
        `could not be delivered in ${made} attempts over ${retryForSeconds} s; last: ${outcome.error}.`,
    };
  }
}

/** At most the first KB of the body, decoded; the rest is never read. */
async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const text = new TextDecoder().decode(bytes.subarray(0, EXCERPT_BYTES));
  return text === '' ? null : text;
}

/** undici puts the reason (ECONNREFUSED...) in `cause`. */
function describeFetchError(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? cause.message : '';
  return detail ? `${error.message}: ${detail}` : error.message;
}
