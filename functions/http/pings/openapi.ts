import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { JOB_KEY_PATTERN } from '../../../shared/job-keys.js';
import { problemResponses } from '../openapi.js';
import { EXIT_STATUS, PING_BODY_LIMIT_BYTES } from './routes.js';

/**
 * The Healthchecks-compatible ping URLs (functions/http/pings/routes.ts) in the OpenAPI document. They live
 * at the server's root, not under `/api`, so each operation names its own server (`/`); they
 * need no API key (the UUID or ping key in the URL is the secret), so `security: []`.
 *
 * `/ping/{uuid}/{exitStatus}` and `/ping/{pingKey}/{jobKey}` are one URL shape, which OpenAPI
 * allows only once: that path item is `/ping/{uuidOrPingKey}/{exitStatusOrJobKey}`, and the
 * server tells them apart by whether the first segment is a UUID.
 */

const Uuid = z.string().meta({
  format: 'uuid',
  description: "The job's `pingUuid`.",
  example: '5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10',
});
const PingKey = z.string().meta({
  description: "The project's `pingKey` (admin keys see it: GET /api/projects).",
  example: '3f9a1c0d5e7b2a4c6d8e0f1a2b3c4d5e',
});
const JobKey = z.string().regex(JOB_KEY_PATTERN).meta({
  description: "The job's `key` in that project.",
  example: 'nightly-backup',
});
const ExitStatus = z.string().regex(EXIT_STATUS).meta({
  description:
    "The command's exit status, 0 to 255: 0 finishes the run SUCCESS, any other FAILED with that `exitCode`. Over 255: 400.",
  example: '3',
});

const RID = z
  .string()
  .meta({
    format: 'uuid',
    description:
      'Pairs a start with its finish when runs of one job overlap (Healthchecks `rid`): the finish closes the open run started with the same rid.',
  })
  .optional();
const CREATE = z
  .enum(['1'])
  .meta({
    description:
      "`1`: create the job (key `jobKey`, in the ping key's project) if it does not exist; answered `201 created`.",
  })
  .optional();

const UuidParams = z.object({ uuid: Uuid });
const SlugParams = z.object({ pingKey: PingKey, jobKey: JobKey });

const BODY_LIMIT_HEADER = {
  'Ping-Body-Limit': {
    description: 'The body size, in bytes, a ping may carry (Healthchecks sends the same header).',
    schema: { type: 'string' as const, example: String(PING_BODY_LIMIT_BYTES) },
  },
};

/** What every ping answer carries besides (functions/http/pings/routes.ts, `pingHeaders`). */
const PING_HEADERS = {
  ...BODY_LIMIT_HEADER,
  'Access-Control-Allow-Origin': {
    description: '`*`: a browser page of any origin may ping and read the answer.',
    schema: { type: 'string' as const, example: '*' },
  },
  'Cache-Control': {
    description: '`no-cache`: no cache answers a ping in place of the server.',
    schema: { type: 'string' as const, example: 'no-cache' },
  },
};

/** A plain-text answer, as Healthchecks gives it; HEAD has the status and headers, no body. */
const textAnswer = (text: string, description: string, withBody: boolean) => ({
  description,
  headers: PING_HEADERS,
  ...(withBody
    ? { content: { 'text/plain': { schema: z.literal(text).meta({ example: text }) } } }
    : {}),
});

const answers = (withBody: boolean, slug: boolean) => ({
  200: textAnswer('OK', 'Recorded (or the job is archived: nothing recorded).', withBody),
  ...(slug
    ? {
        201: textAnswer(
          'created',
          'With `?create=1`: the job was created, then the ping recorded.',
          withBody,
        ),
      }
    : {}),
  400: textAnswer(
    'invalid url format',
    'An exit status over 255, a `rid` that is not a UUID, or (`?create=1`) a job key that is not one.',
    withBody,
  ),
  404: textAnswer('not found', 'No job has this UUID, or no project this ping key.', withBody),
  ...problemResponses(429),
});

const SIGNAL_TEXT = {
  success:
    'Success: finishes the open run started by a ping (SUCCESS), or records a run that started and finished now.',
  start: 'Start: records a RUNNING run (finished by the next success, fail or exit-status ping).',
  fail: 'Failure: finishes the open run FAILED, or records a failed one.',
  log: "Log: appends the body to the open run's output without changing its status; nothing without an open run.",
  exitStatus: 'Exit status: 0 finishes the run SUCCESS, 1-255 FAILED with that `exitCode`.',
};

interface PingForm {
  path: string;
  name: string;
  summary: string;
  description: string;
  params: z.ZodObject;
  slug: boolean;
}

const suffixes = (prefix: string, params: z.ZodObject, slug: boolean, name: string) =>
  (['start', 'fail', 'log'] as const).map((signal): PingForm => ({
    path: `${prefix}/${signal}`,
    name: `${name}${signal[0]!.toUpperCase()}${signal.slice(1)}`,
    summary: `Ping: ${signal}${slug ? ' (slug form)' : ''}`,
    description: SIGNAL_TEXT[signal],
    params,
    slug,
  }));

const PING_FORMS: PingForm[] = [
  {
    path: '/ping/{uuid}',
    name: 'ping',
    summary: 'Ping: success',
    description: SIGNAL_TEXT.success,
    params: UuidParams,
    slug: false,
  },
  ...suffixes('/ping/{uuid}', UuidParams, false, 'ping'),
  {
    path: '/ping/{uuidOrPingKey}/{exitStatusOrJobKey}',
    name: 'pingExitStatusOrSlug',
    summary: 'Ping: exit status, or success (slug form)',
    description: `Two URLs of one shape. \`/ping/{uuid}/{exitStatus}\`: ${SIGNAL_TEXT.exitStatus} \`/ping/{pingKey}/{jobKey}\` (the first segment is not a UUID): ${SIGNAL_TEXT.success} \`?create=1\` applies to the slug form only.`,
    params: z.object({
      uuidOrPingKey: z.string().meta({
        description: "A job's `pingUuid`, or a project's `pingKey` (the slug form).",
        example: '5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10',
      }),
      exitStatusOrJobKey: z.string().meta({
        description: 'After a UUID, an exit status 0-255; after a ping key, a job key.',
        example: '0',
      }),
    }),
    slug: true,
  },
  ...suffixes('/ping/{pingKey}/{jobKey}', SlugParams, true, 'pingSlug'),
  {
    path: '/ping/{pingKey}/{jobKey}/{exitStatus}',
    name: 'pingSlugExitStatus',
    summary: 'Ping: exit status (slug form)',
    description: SIGNAL_TEXT.exitStatus,
    params: SlugParams.extend({ exitStatus: ExitStatus }),
    slug: true,
  },
];

const METHODS = [
  { method: 'get', suffix: '', note: '' },
  { method: 'head', suffix: 'Head', note: ' HEAD answers as GET, without a body.' },
  {
    method: 'post',
    suffix: 'Post',
    note: ` A POST body (any type, up to ${PING_BODY_LIMIT_BYTES} bytes) becomes the run's output (its last 64 KiB); a larger one is replaced by a note, and the ping still counts.`,
  },
] as const;

/** Registers every ping URL form, for GET, HEAD and POST, under the tag `pings`. */
export function registerPingPaths(registry: OpenAPIHono['openAPIRegistry']): void {
  for (const form of PING_FORMS) {
    for (const { method, suffix, note } of METHODS) {
      registry.registerPath({
        method,
        path: form.path,
        operationId: `${form.name}${suffix}`,
        tags: ['pings'],
        summary: form.summary,
        description: `${form.description}${note} No API key: the URL is the secret. Rate limited per client address. See docs/alerts.md.`,
        servers: [{ url: '/', description: 'The server root: pings are outside /api.' }],
        security: [],
        request: {
          params: form.params,
          query: z.object(form.slug ? { rid: RID, create: CREATE } : { rid: RID }),
          ...(method === 'post'
            ? {
                body: {
                  required: false,
                  content: { 'text/plain': { schema: z.string() } },
                },
              }
            : {}),
        },
        responses: answers(method !== 'head', form.slug),
      });
    }
  }
}
