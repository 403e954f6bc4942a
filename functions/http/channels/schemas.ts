import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  CHANNEL_TYPES,
  PAGERDUTY_EVENTS_URL,
  type ChannelConfig,
  type ChannelType,
} from '../../../shared/channels/model.js';
import { invalid } from '../../../shared/errors.js';
import { EventTypeSchema } from '../webhooks/schemas.js';
import { idParams, IsoTimestamp as Timestamp } from '../wire-primitives.js';
import { AttemptSchema } from '../webhooks/schemas.js';

/** The channels' wire shapes: `/channels` and their deliveries. */

const TYPE_MESSAGE = `must be one of ${CHANNEL_TYPES.join(', ')}`;
export const ChannelTypeSchema = z.enum(CHANNEL_TYPES, { message: TYPE_MESSAGE });

const Url = z.string().trim().max(2048, 'must be at most 2048 characters');
const Secret = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(512, 'must be at most 512 characters');

/** Each type's config, strict: a field of another type is a 400 naming it. */
const ChatConfigSchema = z
  .strictObject({
    webhookUrl: Url.meta({
      description: 'The incoming webhook URL (a secret: shown masked).',
      example: 'https://hooks.slack.com/services/T000/B000/XXXXXXXX',
    }),
  })
  .meta({ id: 'ChatChannelConfig', description: 'slack, discord, teams (a Workflows webhook).' });
const NtfyConfigSchema = z
  .strictObject({
    url: Url.meta({ description: 'The topic URL.', example: 'https://ntfy.sh/chronotrack-ops' }),
    token: Secret.optional().meta({
      description: 'An access token, sent as Bearer (shown masked).',
    }),
  })
  .meta({ id: 'NtfyChannelConfig' });
const PagerDutyConfigSchema = z
  .strictObject({
    routingKey: Secret.meta({ description: 'The Events API v2 integration key (shown masked).' }),
    url: Url.optional().meta({
      description: `Where to post events; default ${PAGERDUTY_EVENTS_URL} (a relay, tests).`,
    }),
  })
  .meta({ id: 'PagerDutyChannelConfig' });

const EmailConfigSchema = z
  .strictObject({
    to: z
      .array(
        z
          .string()
          .trim()
          .max(254, 'must be at most 254 characters')
          .pipe(z.email({ message: 'must be an email address (ops@example.com)' })),
      )
      .min(1, 'must name at least one address')
      .max(50, 'must name at most 50 addresses')
      .meta({ description: 'The recipients.', example: ['ops@example.com'] }),
  })
  .meta({
    id: 'EmailChannelConfig',
    description:
      "Sent through the server's SMTP_URL from SMTP_FROM; creating one where they are not set (or on Workers) is a 422.",
  });

/** The per-type config schemas as components, for the `oneOf` of the request's `config`. */
export function registerChannelConfigs(registry: OpenAPIHono['openAPIRegistry']): void {
  registry.register('ChatChannelConfig', ChatConfigSchema);
  registry.register('NtfyChannelConfig', NtfyConfigSchema);
  registry.register('PagerDutyChannelConfig', PagerDutyConfigSchema);
  registry.register('EmailChannelConfig', EmailConfigSchema);
}

const CONFIGS = {
  slack: ChatConfigSchema,
  discord: ChatConfigSchema,
  teams: ChatConfigSchema,
  ntfy: NtfyConfigSchema,
  pagerduty: PagerDutyConfigSchema,
  email: EmailConfigSchema,
} as const;

const ConfigInputSchema = z.record(z.string(), z.unknown()).meta({
  description:
    "The type's settings: slack, discord, teams `{webhookUrl}`; ntfy `{url, token?}`; pagerduty `{routingKey, url?}`; email `{to: [addresses]}`.",
  oneOf: [
    { $ref: '#/components/schemas/ChatChannelConfig' },
    { $ref: '#/components/schemas/NtfyChannelConfig' },
    { $ref: '#/components/schemas/PagerDutyChannelConfig' },
    { $ref: '#/components/schemas/EmailChannelConfig' },
  ],
});

/**
 * `config` checked against `type`'s schema: the handlers' half of validation (the type decides
 * the shape, and PATCH learns the type from the stored channel). A failure is the same 400
 * `VALIDATION_FAILED` as the router's, naming `config.<field>`.
 */
export function parseChannelConfig(
  type: ChannelType,
  config: Record<string, unknown>,
): ChannelConfig {
  const parsed = CONFIGS[type].safeParse(config);
  if (parsed.success) return { type, ...parsed.data } as ChannelConfig;
  // A field of another type first: it explains the missing one ({routingKey} sent to slack).
  const issues = parsed.error.issues;
  const issue = issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? issues[0]!;
  if (issue.code === 'unrecognized_keys')
    throw invalid(
      `config.${issue.keys[0]}`,
      `${issue.keys.join(', ')} ${issue.keys.length === 1 ? 'is' : 'are'} not a field of a ${type} channel`,
    );
  throw invalid(['config', ...issue.path].join('.'), issue.message);
}

const NameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');
const EventsSchema = z.array(EventTypeSchema).min(1, 'must name at least one event');
const JobIdsSchema = z
  .array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER))
  .min(1, 'must name at least one job (leave it out for every job)')
  .max(100, 'must name at most 100 jobs');

export const ChannelCreateSchema = z
  .strictObject({
    name: NameSchema,
    type: ChannelTypeSchema,
    config: ConfigInputSchema,
    events: EventsSchema,
    jobIds: JobIdsSchema.optional().meta({
      description: "Only these jobs' events; left out: every job (of its project).",
    }),
    projectId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .meta({
    example: {
      name: 'Ops on Slack',
      type: 'slack',
      config: { webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXXXXXX' },
      events: ['run.failed', 'job.down', 'job.up'],
    },
  });

/** PATCH: `config` whole again (its secrets are write-only), checked against the channel's type. */
export const ChannelUpdateSchema = z
  .strictObject({
    name: NameSchema.optional(),
    config: ConfigInputSchema.optional(),
    events: EventsSchema.optional(),
    jobIds: JobIdsSchema.nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ example: { enabled: true } });

export const ChannelSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    type: ChannelTypeSchema,
    config: z.record(z.string(), z.union([z.string(), z.array(z.string())])).meta({
      description:
        "The settings, every secret (webhookUrl, routingKey, token) masked: its host and last 4 characters. An email channel's `to` is shown as it is.",
      example: { webhookUrl: 'https://hooks.slack.com/…XXXX' },
    }),
    events: z.array(EventTypeSchema),
    projectId: z.number().int().nullable(),
    jobIds: z.array(z.number().int()).nullable(),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().meta({
      description:
        'Why the dispatcher disabled the channel (its receiver failed for the whole retry window), with the last error; PATCH `enabled: true` to resume.',
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Channel' });

export const ChannelListSchema = z
  .object({ data: z.array(ChannelSchema) })
  .meta({ id: 'ChannelList' });

const ChannelAttemptSchema = AttemptSchema.extend({
  responseExcerpt: z
    .string()
    .nullable()
    .meta({ description: 'At most the first 1 KB of what the receiver answered.' }),
});

export const ChannelDeliverySchema = z
  .object({
    id: z.number().int(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed', 'held']).meta({
      description:
        '`held`: a run.failed held back by NOTIFY_MIN_INTERVAL_SECONDS, counted in the next message.',
    }),
    attempts: z.number().int(),
    nextAttemptAt: Timestamp.nullable(),
    createdAt: Timestamp,
    log: z.array(ChannelAttemptSchema),
  })
  .meta({ id: 'ChannelDelivery' });

export const ChannelDeliveryListSchema = z
  .object({ data: z.array(ChannelDeliverySchema) })
  .meta({ id: 'ChannelDeliveryList' });

export const ChannelIdParamsSchema = idParams('id', 'Channel id.');
