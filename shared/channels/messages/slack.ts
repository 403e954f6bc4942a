import { clip, facts, headline, type Notification } from '../notification.js';
import { json, type HttpMessage } from './message.js';

const EMOJI = {
  bad: ':red_circle:',
  warn: ':large_yellow_circle:',
  good: ':large_green_circle:',
  info: ':information_source:',
};

/**
 * A Slack incoming-webhook message: `text` (the notification and fallback) and Block Kit
 * `blocks`: a header, the facts as a mrkdwn section of fields, the output tail as a code block.
 */
export function slackMessage(n: Notification): HttpMessage {
  const { title, tone } = headline(n);
  const fields = facts(n).map(([label, value]) => ({
    type: 'mrkdwn',
    // A field's text holds at most 2000 characters.
    text: clip(`*${escape(label)}*\n${escape(value)}`, 2000),
  }));
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, 150), emoji: true } },
  ];
  // A section holds at most 10 fields.
  for (let i = 0; i < fields.length; i += 10)
    blocks.push({ type: 'section', fields: fields.slice(i, i + 10) });
  if (!n.job)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: 'A test notification from ChronoTrack: this channel works.' },
    });
  if (n.run?.outputTail)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `\`\`\`${escape(n.run.outputTail).slice(0, 2900)}\`\`\`` },
    });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'ChronoTrack' }] });
  return json({ text: `${EMOJI[tone]} ${title}`, blocks });
}

/** Slack's three control characters in mrkdwn. */
const escape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
