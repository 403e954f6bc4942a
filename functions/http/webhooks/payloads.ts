import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { JOB_HEALTHS } from '../../../shared/job-health.js';
import { RUN_STATUSES, type RunStatus } from '../../../shared/run-status.js';
import { WEBHOOK_USER_AGENT } from '../../../shared/webhooks/dispatcher.js';
import {
  TEST_EVENT_TYPE,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from '../../../shared/webhooks/model.js';
import { IsoTimestamp } from '../wire-primitives.js';

/** The payloads' own example instant (an event at 03:00 UTC), as the document has always shown. */
const Timestamp = IsoTimestamp.meta({ example: '2026-12-01T03:00:12.345Z' });

/**
 * What a webhook receiver gets (the OpenAPI 3.1 `webhooks` section): the body of every event
 * type and the Standard Webhooks headers. The bodies are built by the dispatcher's envelope
 * (shared/webhooks/dispatcher.ts) around the `data` snapshot the outbox triggers write
 * (db/migrations/0007_webhooks.sql, 0008): these schemas follow those two, and
 * functions/http/webhooks/payloads.better-sqlite3.test.ts delivers every type to a real receiver and
 * holds each body to the served document, so a trigger that changes shape fails there.
 */

const WebhookRunSchema = z
  .object({
    id: z.number().int(),
    jobId: z.number().int(),
    status: z.enum(RUN_STATUSES),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
    durationMs: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'finishedAt - startedAt; null until both are known.' }),
    exitCode: z.number().int().nullable(),
    errorMessage: z.string().nullable(),
    slow: z.boolean().meta({ description: "Over 3x the job's p95 duration." }),
  })
  .meta({ id: 'WebhookRun', description: 'The run as it was when the event happened.' });

const WebhookJobRefSchema = z
  .object({
    id: z.number().int(),
    projectId: z.number().int(),
    key: z.string(),
    name: z.string(),
  })
  .meta({ id: 'WebhookJobRef', description: 'The job the run belongs to.' });

const HealthSchema = z.enum(JOB_HEALTHS);

const WebhookJobHealthSchema = z
  .object({
    id: z.number().int(),
    projectId: z.number().int(),
    key: z.string(),
    name: z.string(),
    health: HealthSchema.meta({ description: 'The health just recorded.' }),
    previousHealth: HealthSchema.nullable().meta({ description: 'The health recorded before.' }),
    healthChangedAt: Timestamp.nullable(),
  })
  .meta({ id: 'WebhookJobHealth', description: 'The job whose recorded health changed.' });

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({
    type: z.literal(type),
    timestamp: Timestamp.meta({ description: 'When the event happened (not this attempt).' }),
    data,
  });

/** Which status a run event's run has; run.created and run.slow: any. */
const RUN_EVENT_STATUS: Partial<Record<WebhookEventType, RunStatus>> = {
  'run.succeeded': 'SUCCESS',
  'run.failed': 'FAILED',
  'run.cancelled': 'CANCELLED',
};

const runEvent = (type: WebhookEventType) => {
  const status = RUN_EVENT_STATUS[type];
  const run = status ? WebhookRunSchema.extend({ status: z.literal(status) }) : WebhookRunSchema;
  return envelope(type, z.object({ run, job: WebhookJobRefSchema }));
};

const JOB_EVENT_HEALTH = { 'job.late': 'late', 'job.down': 'down', 'job.up': 'up' } as const;

const jobEvent = (type: keyof typeof JOB_EVENT_HEALTH) =>
  envelope(
    type,
    z.object({
      job: WebhookJobHealthSchema.extend({ health: z.literal(JOB_EVENT_HEALTH[type]) }),
    }),
  );

const TestEventSchema = envelope(
  TEST_EVENT_TYPE,
  z.object({
    webhook: z.object({ id: z.number().int(), url: z.string() }),
    message: z.string(),
  }),
);

/** The component name of an event's body: run.created → RunCreatedEvent. */
const componentName = (type: string) =>
  `${type
    .split('.')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('')}Event`;

const isJobEvent = (type: WebhookEventType): type is keyof typeof JOB_EVENT_HEALTH =>
  type in JOB_EVENT_HEALTH;

/** The body schema of every event type a receiver can get, test event included. */
export const WEBHOOK_PAYLOAD_SCHEMAS: Record<string, z.ZodType> = Object.fromEntries([
  ...WEBHOOK_EVENT_TYPES.map((type) => [
    type,
    (isJobEvent(type) ? jobEvent(type) : runEvent(type)).meta({ id: componentName(type) }),
  ]),
  [TEST_EVENT_TYPE, TestEventSchema.meta({ id: componentName(TEST_EVENT_TYPE) })],
]);

const EVENT_DESCRIPTIONS: Record<string, string> = {
  'run.created': 'A run was recorded (any initial status).',
  'run.succeeded': 'A run became SUCCESS, or was recorded SUCCESS.',
  'run.failed': "A run became FAILED, or was recorded FAILED (the sweeper's lost runs included).",
  'run.cancelled': 'A run became CANCELLED, or was recorded CANCELLED.',
  'run.slow': "A run was flagged `slow` (over 3x its job's p95 duration).",
  'job.late': "The job's recorded health became `late`.",
  'job.down': "The job's recorded health became `down`.",
  'job.up': "The job's recorded health became `up` after `late` or `down` (a recovery).",
  [TEST_EVENT_TYPE]: 'Sent by `POST /api/webhooks/{id}/test`, whatever the webhook subscribed to.',
};

/** The Standard Webhooks headers of every attempt (https://www.standardwebhooks.com). */
const StandardWebhookHeaders = z.object({
  'webhook-id': z.string().meta({
    description:
      "The event's id: the same on every attempt of one event, so a receiver drops duplicates.",
    example: 'msg_5f0c9a3e2b7d4c18a6e1f2d3c4b5a697',
  }),
  'webhook-timestamp': z.string().meta({
    description: 'Unix seconds of this attempt; receivers reject old ones (replays).',
    example: '1764558012',
  }),
  'webhook-signature': z.string().meta({
    description:
      '`v1,` + base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the bytes of the secret after `whsec_`. Verify it on the raw body (e.g. the `standardwebhooks` package).',
    example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  }),
  'user-agent': z.string().meta({
    description:
      '`ChronoTrack-Webhooks/1 ChronoTrack/<version>`: the payload version, then the version of the server that sent it.',
    example: WEBHOOK_USER_AGENT,
  }),
});

const RETRIED =
  'A failed attempt: retried with exponential backoff and jitter, from WEBHOOK_RETRY_BASE_SECONDS, for WEBHOOK_RETRY_FOR_SECONDS after the event (a day); a delivery still failing then disables the webhook (`disabledReason`). So are timeouts and refused addresses.';

const RECEIVER_RESPONSES = {
  '2XX': { description: 'Delivered: the event is not sent again.' },
  '3XX': { description: `Redirects are not followed. ${RETRIED}` },
  '4XX': { description: RETRIED },
  '5XX': { description: RETRIED },
};

/** Adds one `webhooks` entry per event type to the document: a POST to the receiver's URL. */
export function registerWebhookPayloads(registry: OpenAPIHono['openAPIRegistry']): void {
  for (const [type, schema] of Object.entries(WEBHOOK_PAYLOAD_SCHEMAS)) {
    registry.registerWebhook({
      method: 'post',
      path: type,
      operationId: `${componentName(type).replace(/Event$/, '')}Webhook`.replace(/^./, (c) =>
        c.toLowerCase(),
      ),
      tags: ['webhooks'],
      summary: `${type} (sent to your URL)`,
      description: `${EVENT_DESCRIPTIONS[type]} Payload version 1: fields may be added, none removed or changed without a new version. See docs/alerts.md.`,
      // The receiver authenticates the sender by the signature, not by a key of this API.
      security: [],
      request: {
        headers: StandardWebhookHeaders,
        body: { required: true, content: { 'application/json': { schema } } },
      },
      responses: RECEIVER_RESPONSES,
    });
  }
}
