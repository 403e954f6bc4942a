import { createTransport } from 'nodemailer';
import type { Mailer } from '../../shared/channels/mailer.js';

export interface NodeMailerOptions {
  /** SMTP_URL: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://...:465` (TLS). */
  url: string;
  /** SMTP_FROM. */
  from: string;
  /** WEBHOOK_TIMEOUT_SECONDS: connecting, the greeting and each exchange, like an HTTP attempt. */
  timeoutSeconds: number;
}

/**
 * Email channels' transport on Node: nodemailer over SMTP_URL, one connection per message (a few
 * a minute at most), its own logger off. The URL's password reaches the server and nothing else:
 * an error's message has it replaced before it is recorded in a delivery's log.
 */
export function nodeMailer({ url, from, timeoutSeconds }: NodeMailerOptions): Mailer {
  const timeoutMs = timeoutSeconds * 1000;
  const transport = createTransport({
    url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
    debug: false,
  });
  const secrets = secretsOf(url);
  const scrub = (text: string) =>
    secrets.reduce((out, secret) => out.replaceAll(secret, '***'), text);
  return {
    async send(mail, signal) {
      signal.throwIfAborted();
      const aborted = new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
      );
      try {
        const info = await Promise.race([transport.sendMail({ ...mail, from }), aborted]);
        return scrub(String(info.response ?? ''));
      } catch (error) {
        if (error instanceof Error && error.name === 'TimeoutError') throw error;
        throw new Error(scrub(error instanceof Error ? error.message : String(error)));
      }
    },
  };
}

/** The URL's password, as written and decoded (and its user's, should a server echo it). */
function secretsOf(url: string): string[] {
  const { password } = new URL(url);
  if (!password) return [];
  return [...new Set([password, decodeURIComponent(password)])].filter((s) => s.length >= 3);
}
