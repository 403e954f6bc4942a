/** One HTTP request a channel sends: JSON for most types, plain text with headers for ntfy. */
export interface HttpMessage {
  kind: 'http';
  headers: Record<string, string>;
  body: string;
}

/** One email (the email type), sent through the platform's Mailer (shared/channels/mailer.ts). */
export interface MailMessage {
  kind: 'mail';
  to: string[];
  subject: string;
  /** The plain-text part. */
  text: string;
  /** The HTML part: everything from users escaped. */
  html: string;
}

/** What a channel sends for one notification. */
export type ChannelMessage = HttpMessage | MailMessage;

export const json = (body: unknown): HttpMessage => ({
  kind: 'http',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});
