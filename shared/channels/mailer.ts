import type { MailMessage } from './messages/message.js';

/**
 * Sends email channels' messages: a platform part handed to createRuntime, built from SMTP_URL
 * and SMTP_FROM (shared/channels/smtp.ts) with nodemailer on Node (functions/runtime/node-mailer.ts)
 * and an SMTP client over `cloudflare:sockets` on Workers (functions/runtime/worker-mailer.ts), so
 * shared/ never imports a mail library. It owns the From address and the server's secrets.
 */
export interface Mailer {
  /**
   * Resolves with the server's final answer (`250 OK: queued as ...`), recorded like a webhook
   * receiver's; rejects when the mail was not accepted. An error's message never holds the
   * password.
   */
  send(mail: Omit<MailMessage, 'kind'>, signal: AbortSignal): Promise<string>;
}

/** The 422 of an email channel on a server (Node or Worker) configured without a mail transport. */
export const NO_MAIL_TRANSPORT =
  'This server has no mail transport: email channels need SMTP_URL and SMTP_FROM set (environment variables on Node, secrets or vars on Workers).';
