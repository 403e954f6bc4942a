import type { MailMessage } from '../../shared/channels/messages/index.js';
import type { MailAddress } from '../../shared/channels/smtp.js';

/**
 * One email as the SMTP client sends it after DATA (RFC 5322 + MIME): the headers, then a
 * multipart/alternative of the text and HTML parts, each UTF-8 in base64 (lines of 76, none
 * starting with a dot, none too long, whatever the job's output holds). nodemailer composes
 * Node's; this is the Workers client's (functions/runtime/smtp-client.ts).
 */
export function composeMessage(
  mail: Omit<MailMessage, 'kind'>,
  from: MailAddress,
  now: Date,
  id: string,
): string {
  const boundary = `chronotrack-${id}`;
  const headers = [
    `From: ${formatAddress(from)}`,
    `To: ${mail.to.join(', ')}`,
    `Subject: ${encodeHeader(mail.subject)}`,
    `Date: ${now.toUTCString().replace(/GMT$/, '+0000')}`,
    `Message-ID: <${id}@${from.address.split('@')[1]}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  for (const header of headers)
    if (/[\r\n]/.test(header.replace(/\r\n /g, ''))) throw new Error('a header holds a line break');
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      'Content-Transfer-Encoding: base64',
      '',
      ...(base64Utf8(body).match(/.{1,76}/g) ?? []),
    ].join('\r\n');
  return [
    ...headers,
    '',
    part('text/plain', mail.text),
    part('text/html', mail.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** The display name quoted (or RFC 2047-encoded when not ASCII) before the address. */
function formatAddress({ name, address }: MailAddress): string {
  if (!name) return address;
  const display = isAscii(name) ? `"${name.replace(/[\\"]/g, '\\$&')}"` : encodeHeader(name);
  return `${display} <${address}>`;
}

/**
 * A header's text as is when ASCII, otherwise as RFC 2047 encoded-words of at most 75
 * characters (45 bytes of UTF-8 each, never splitting a character), folded onto lines of their own.
 */
export function encodeHeader(text: string): string {
  if (isAscii(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (utf8.encode(chunk + char).length > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${base64Utf8(word)}?=`).join('\r\n ');
}

const utf8 = new TextEncoder();
const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/** `text` as UTF-8, in base64. */
export function base64Utf8(text: string): string {
  const bytes = utf8.encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
