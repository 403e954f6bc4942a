import { z } from 'zod';
import type { ReceivedHook } from './webhook-receiver.js';

/**
 * What each chat and paging service accepts, from its documentation, as zod schemas: the
 * loopback receivers of the channel tests refuse (400) what the real service would refuse.
 * - Slack incoming webhooks + Block Kit (api.slack.com/messaging/webhooks, /reference/block-kit):
 *   `text` and up to 50 `blocks`; a header's plain_text at most 150, a section's text 3000, at
 *   most 10 fields of 2000 each.
 * - Discord Execute Webhook (discord.com/developers/docs/resources/webhook, /resources/message
 *   #embed-object-embed-limits): content 2000, at most 10 embeds; title 256, description 4096,
 *   25 fields (name 256, value 1024), colour an integer RGB.
 * - Teams Workflows webhooks: a `message` whose attachments are Adaptive Cards
 *   (contentType application/vnd.microsoft.card.adaptive, content.type AdaptiveCard).
 * - ntfy publish (docs.ntfy.sh/publish): the body is the message; Title, Priority (1-5 or
 *   min/low/default/high/max/urgent) and Tags headers; Authorization: Bearer <token>.
 * - PagerDuty Events API v2 (developer.pagerduty.com/docs/events-api-v2): routing_key,
 *   event_action trigger|acknowledge|resolve, dedup_key at most 255; a trigger's payload has
 *   summary (1024), source and severity critical|error|warning|info.
 */
const text = (max: number) => z.string().min(1).max(max);

const SlackText = z.object({ type: z.enum(['plain_text', 'mrkdwn']), text: text(3000) });
const SlackBlock = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('header'),
    text: z.object({
      type: z.literal('plain_text'),
      text: text(150),
      emoji: z.boolean().optional(),
    }),
  }),
  z
    .object({
      type: z.literal('section'),
      text: SlackText.optional(),
      fields: z
        .array(z.object({ type: z.enum(['plain_text', 'mrkdwn']), text: text(2000) }))
        .max(10)
        .optional(),
    })
    .refine((block) => block.text || block.fields, 'a section needs text or fields'),
  z.object({ type: z.literal('context'), elements: z.array(SlackText).min(1).max(10) }),
  z.object({ type: z.literal('divider') }),
]);
export const SlackPayload = z.object({ text: text(40000), blocks: z.array(SlackBlock).max(50) });

export const DiscordPayload = z.object({
  content: z.string().max(2000).optional(),
  allowed_mentions: z.object({ parse: z.array(z.string()) }).optional(),
  embeds: z
    .array(
      z.object({
        title: z.string().max(256).optional(),
        description: z.string().max(4096).optional(),
        color: z.number().int().min(0).max(0xffffff).optional(),
        timestamp: z.iso.datetime().optional(),
        fields: z
          .array(z.object({ name: text(256), value: text(1024), inline: z.boolean().optional() }))
          .max(25)
          .optional(),
        footer: z.object({ text: text(2048) }).optional(),
      }),
    )
    .max(10),
});

export const TeamsPayload = z.object({
  type: z.literal('message'),
  attachments: z
    .array(
      z.object({
        contentType: z.literal('application/vnd.microsoft.card.adaptive'),
        contentUrl: z.null().optional(),
        content: z.object({
          $schema: z.string().optional(),
          type: z.literal('AdaptiveCard'),
          version: z.string().regex(/^1\.\d$/),
          body: z
            .array(
              z.discriminatedUnion('type', [
                z.object({ type: z.literal('TextBlock'), text: text(20000) }).loose(),
                z.object({
                  type: z.literal('FactSet'),
                  facts: z.array(z.object({ title: z.string(), value: z.string() })).min(1),
                }),
              ]),
            )
            .min(1),
        }),
      }),
    )
    .min(1),
});

export const PagerDutyPayload = z.discriminatedUnion('event_action', [
  z.object({
    routing_key: text(64),
    event_action: z.literal('trigger'),
    dedup_key: text(255),
    payload: z
      .object({
        summary: text(1024),
        source: text(255),
        severity: z.enum(['critical', 'error', 'warning', 'info']),
        timestamp: z.iso.datetime().optional(),
      })
      .loose(),
    links: z.array(z.object({ href: z.url(), text: z.string().optional() })).optional(),
  }),
  z.object({
    routing_key: text(64),
    event_action: z.enum(['acknowledge', 'resolve']),
    dedup_key: text(255),
  }),
]);

const NTFY_PRIORITIES = ['1', '2', '3', '4', '5', 'min', 'low', 'default', 'high', 'max', 'urgent'];

/** A problem with a chat or paging request, or null: the receivers' `check`. */
export function shapeProblem(type: string, hook: ReceivedHook): string | null {
  if (hook.headers['content-type']?.startsWith('application/json') === false && type !== 'ntfy')
    return `Content-Type ${hook.headers['content-type']}`;
  if (type === 'ntfy') {
    const priority = String(hook.headers.priority ?? '3');
    if (!NTFY_PRIORITIES.includes(priority)) return `bad Priority ${priority}`;
    if (!hook.headers.title) return 'no Title';
    if (hook.body.length === 0 || hook.body.length > 4096) return 'body must be 1..4096 bytes';
    return null;
  }
  const schema = {
    slack: SlackPayload,
    discord: DiscordPayload,
    teams: TeamsPayload,
    pagerduty: PagerDutyPayload,
  }[type];
  if (!schema) return `unknown type ${type}`;
  let body: unknown;
  try {
    body = JSON.parse(hook.body);
  } catch {
    return 'not JSON';
  }
  const parsed = schema.safeParse(body);
  return parsed.success ? null : z.prettifyError(parsed.error);
}
