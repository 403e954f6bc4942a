import { headline, plainText, type Notification } from '../notification.js';
import type { HttpMessage } from './message.js';

/** ntfy priorities (1 min ... 5 max) and tags (emoji short codes ntfy shows before the title). */
const PRIORITY = { bad: '5', warn: '4', good: '3', info: '3' };
const TAGS = {
  bad: 'rotating_light',
  warn: 'warning',
  good: 'white_check_mark',
  info: 'information_source',
};

/**
 * An ntfy publish: the message as plain text in the body, `Title`, `Priority`, `Tags` (and with
 * PUBLIC_URL `Click`) headers,
 * and the access token (if the topic needs one) as a Bearer token.
 */
export function ntfyMessage(n: Notification, token?: string): HttpMessage {
  const { title, tone } = headline(n);
  const page = n.links?.run ?? n.links?.job;
  return {
    kind: 'http',
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      // Header values must be ISO-8859-1: job names may not be, so ntfy's RFC 2047 form.
      Title: encodeHeader(title),
      Priority: PRIORITY[tone],
      Tags: `${TAGS[tone]},chronotrack`,
      // Tapping the notification opens the run's (or job's) page in the dashboard.
      ...(page && { Click: page }),
      ...(token !== undefined && { Authorization: `Bearer ${token}` }),
    },
    body: plainText(n),
  };
}

/** ASCII as it is; anything else as an RFC 2047 encoded word, which ntfy decodes. */
function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const bytes = new TextEncoder().encode(value);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `=?UTF-8?B?${btoa(binary)}?=`;
}
