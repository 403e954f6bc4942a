import type { ConnectionOptions } from 'node:tls';
import { createTransport } from 'nodemailer';
import type { Mailer } from '../../shared/channels/mailer.js';
import { hideSmtpSecrets } from '../../shared/channels/smtp.js';
import type { MailSettings } from '../../shared/config.js';

export interface NodeMailerOptions extends MailSettings {
  /** Tests only: trust their self-signed certificate. Production uses the system's CAs. */
  tls?: Pick<ConnectionOptions, 'ca'>;
}

/**
 * Email channels' transport on Node: nodemailer over SMTP_URL's server (shared/channels/smtp.ts),
 * one connection per message (a few a minute at most), its own logger off. WEBHOOK_TIMEOUT_SECONDS
 * bounds connecting, the greeting and each exchange, like an HTTP attempt. The password reaches
 * the server and nothing else: an error's message has it replaced before it is recorded.
 */
export function nodeMailer({ server, from, timeoutSeconds, tls }: NodeMailerOptions): Mailer {
  const timeoutMs = timeoutSeconds * 1000;
  const transport = createTransport({
    host: server.host,
    port: server.port,
    secure: server.secure,
    requireTLS: server.requireTLS,
    ...(server.auth && { auth: server.auth }),
    ...(tls && { tls }),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
    debug: false,
  });
  const scrub = (text: string) => hideSmtpSecrets(server, text);
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
        const message = error instanceof Error ? error.message : String(error);
        // nodemailer's ETLS names the step, not the setting that made it fatal.
        const tls = server.requireTLS && (error as { code?: unknown }).code === 'ETLS';
        throw new Error(
          scrub(tls ? `SMTP_URL requires TLS (requireTLS=true), but: ${message}` : message),
        );
      }
    },
  };
}
