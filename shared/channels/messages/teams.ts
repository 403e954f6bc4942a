import { facts, headline, plainText, type Notification } from '../notification.js';
import { json, type HttpMessage } from './message.js';

const COLORS = { bad: 'Attention', warn: 'Warning', good: 'Good', info: 'Accent' } as const;

/**
 * A Teams Workflows ("Post to a channel when a webhook request is received") message: a
 * `message` with one Adaptive Card attachment: the headline, the facts as a FactSet and the
 * output tail in monospace.
 */
export function teamsMessage(n: Notification): HttpMessage {
  const { title, tone } = headline(n);
  const body: unknown[] = [
    {
      type: 'TextBlock',
      text: title,
      weight: 'Bolder',
      size: 'Medium',
      color: COLORS[tone],
      wrap: true,
    },
  ];
  const set = facts(n).map(([label, value]) => ({ title: label, value }));
  if (set.length > 0) body.push({ type: 'FactSet', facts: set });
  else body.push({ type: 'TextBlock', text: plainText(n), wrap: true });
  if (n.run?.outputTail)
    body.push({ type: 'TextBlock', text: n.run.outputTail, fontType: 'Monospace', wrap: true });
  return json({
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
        },
      },
    ],
  });
}
