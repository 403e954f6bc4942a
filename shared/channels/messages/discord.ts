import { isoTime } from '../../iso-time.js';
import { clip, facts, headline, type Notification, type Tone } from '../notification.js';
import { json, type HttpMessage } from './message.js';

/** Embed colours (decimal RGB, as Discord takes them). */
export const DISCORD_COLORS: Record<Tone, number> = {
  bad: 0xd92d20,
  warn: 0xf79009,
  good: 0x17b26a,
  info: 0x2e90fa,
};

/**
 * A Discord webhook message: `content` (the headline) and one `embeds` entry coloured by the
 * event, with the facts as fields and the output tail as its description.
 */
export function discordMessage(n: Notification): HttpMessage {
  const { title, tone } = headline(n);
  return json({
    content: clip(title, 2000),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(title, 256),
        color: DISCORD_COLORS[tone],
        timestamp: isoTime(n.at),
        ...(n.run?.outputTail && {
          description: `\`\`\`\n${n.run.outputTail.slice(0, 4000)}\n\`\`\``,
        }),
        ...(!n.job && { description: 'A test notification from ChronoTrack: this channel works.' }),
        fields: facts(n)
          .slice(0, 25)
          .map(([name, value]) => ({
            name,
            value: clip(value, 1024),
            inline: value.length < 40,
          })),
        footer: { text: 'ChronoTrack' },
      },
    ],
  });
}
