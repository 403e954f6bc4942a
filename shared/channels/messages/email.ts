import { clip, facts, headline, linkFacts, plainText, type Notification } from '../notification.js';
import type { MailMessage } from './message.js';

const COLORS = { bad: '#d92d20', warn: '#f79009', good: '#17b26a', info: '#2e90fa' };

/**
 * An email: a subject that reads well in a list (`[ChronoTrack] DOWN: Nightly backup (Ops)`), the
 * plain-text part (the chat channels' text: the facts, the output tail, the dashboard links) and
 * an HTML part with the same content, where everything is escaped: job names, errors and output
 * come from users.
 */
export function emailMessage(n: Notification, to: string[]): MailMessage {
  const { title, tone } = headline(n);
  // One line: a name with a line break must not end the header.
  const subject = clip(`[ChronoTrack] ${title}`.replace(/\s+/g, ' '), 200);
  const text = `${title}\n\n${plainText(n)}\n\n-- \nChronoTrack\n`;
  const links = new Set(linkFacts(n).map(([label]) => label));
  const rows = facts(n)
    .filter(([label]) => !links.has(label))
    .map(
      ([label, value]) =>
        `<tr><th align="left" style="padding:2px 12px 2px 0;vertical-align:top">${escapeHtml(label)}</th><td style="padding:2px 0;white-space:pre-wrap">${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const parts = [
    `<h2 style="margin:0 0 12px;color:${COLORS[tone]}">${escapeHtml(title)}</h2>`,
    n.job
      ? `<table style="border-collapse:collapse">${rows}</table>`
      : '<p>A test notification from ChronoTrack: this channel works.</p>',
  ];
  if (n.run?.outputTail)
    parts.push(
      '<p style="margin:12px 0 4px"><strong>Output (last lines):</strong></p>',
      `<pre style="background:#f4f4f5;padding:8px;white-space:pre-wrap">${escapeHtml(n.run.outputTail)}</pre>`,
    );
  const anchors = linkFacts(n).map(
    ([label, href]) =>
      `<a href="${escapeHtml(href)}">${escapeHtml(label.replace(' page', ''))} in ChronoTrack</a>`,
  );
  if (anchors.length > 0) parts.push(`<p>${anchors.join(' · ')}</p>`);
  parts.push('<p style="color:#71717a;font-size:12px">ChronoTrack</p>');
  const html = `<!doctype html><html><body style="font-family:sans-serif;font-size:14px">${parts.join('')}</body></html>`;
  return { kind: 'mail', to, subject, text, html };
}

/** The five characters HTML gives a meaning, in text and in attribute values. */
export const escapeHtml = (value: string): string =>
  value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
