import { connect } from 'cloudflare:sockets';
import type { Mailer } from '../../shared/channels/mailer.js';
import type { MailSettings } from '../../shared/config.js';
import { smtpMailer } from './smtp-client.js';

/**
 * Email channels' transport on Workers: the SMTP client (functions/runtime/smtp-client.ts) over
 * workerd's TCP sockets. Cloudflare refuses port 25 and its own addresses (docs/runtimes.md):
 * SMTP_URL names a submission port, 587 (STARTTLS) or 465 (TLS).
 */
export function workerMailer(settings: MailSettings): Mailer {
  return smtpMailer(settings, connect);
}
