import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { JOB_KEY_PATTERN } from '../../../shared/job-keys.js';
import { problemResponses } from '../openapi.js';
import { ProblemSchema } from '../wire-primitives.js';
import { BADGE_MAX_AGE_SECONDS } from './routes.js';

/**
 * The status badges (functions/http/badges/routes.ts) in the OpenAPI document. Like the pings they
 * live at the server's root and need no API key (`security: []`): the badge key in the URL is the
 * secret, read-only.
 */

const BadgeKey = z.string().meta({
  description:
    "The project's `badgeKey` (admin keys see it: GET /api/projects/{id}; POST /api/projects/{id}/badge-key sets it).",
  example: '9c1e0b7a4d2f4e6a8b0c1d2e3f405162',
});
const JobKey = z.string().regex(JOB_KEY_PATTERN).meta({
  description: "The job's `key` in the badge key's project.",
  example: 'nightly-backup',
});

export const BadgeEndpointSchema = z
  .object({
    schemaVersion: z.literal(1),
    label: z.string().meta({ description: "The job's name, or `jobs` for the project badge." }),
    message: z.string().meta({
      description:
        'The health (`up`, `late`, `down`, `paused`, `new`); for the project badge the worst with its count, `2/7 down`, or `no jobs`.',
      example: 'up',
    }),
    color: z.enum(['brightgreen', 'yellow', 'red', 'lightgrey']).meta({
      description:
        'A shields.io colour name: up brightgreen, late yellow, down red, else lightgrey.',
    }),
  })
  .meta({
    id: 'BadgeEndpoint',
    description: "shields.io's endpoint format (https://shields.io/badges/endpoint-badge).",
  });

const HEADERS = {
  'Cache-Control': {
    description: `\`public, max-age=${BADGE_MAX_AGE_SECONDS}\`.`,
    schema: { type: 'string' as const, example: `public, max-age=${BADGE_MAX_AGE_SECONDS}` },
  },
  ETag: {
    description: 'The digest of the body: send it back in `If-None-Match` for a 304.',
    schema: { type: 'string' as const },
  },
};

const NOT_FOUND = {
  description:
    'No badge: an unknown badge key (badges off, or rotated), or no job of that key. The two are the same answer (`BADGE_NOT_FOUND`).',
  content: { 'application/problem+json': { schema: ProblemSchema } },
};

const FORMATS = [
  {
    extension: 'svg',
    suffix: 'Svg',
    content: { 'image/svg+xml': { schema: z.string().meta({ description: 'The badge.' }) } },
    what: "an SVG in shields.io's flat style",
  },
  {
    extension: 'json',
    suffix: 'Json',
    content: { 'application/json': { schema: BadgeEndpointSchema } },
    what: "shields.io's endpoint JSON (`https://img.shields.io/endpoint?url=...` restyles it)",
  },
] as const;

const FORMS = [
  {
    path: '/badge/{badgeKey}/{jobKey}',
    name: 'getJobBadge',
    summary: "A job's status badge",
    description: "The job's name and health: up green, late amber, down red, paused and new grey.",
    params: z.object({ badgeKey: BadgeKey, jobKey: JobKey }),
  },
  {
    path: '/badge/{badgeKey}',
    name: 'getProjectBadge',
    summary: "A project's status badge",
    description:
      'The worst health among the jobs that are not archived, with how many have it and how many there are (`2/7 down`, `7/7 up`), under the label `jobs`; `no jobs` in grey when none.',
    params: z.object({ badgeKey: BadgeKey }),
  },
] as const;

/** Registers the badge URLs, SVG and JSON, under the tag `badges`. */
export function registerBadgePaths(registry: OpenAPIHono['openAPIRegistry']): void {
  for (const form of FORMS) {
    for (const format of FORMATS) {
      registry.registerPath({
        method: 'get',
        path: `${form.path}.${format.extension}`,
        operationId: `${form.name}${format.suffix}`,
        tags: ['badges'],
        summary: `${form.summary} (${format.extension.toUpperCase()})`,
        description: `${form.description} As ${format.what}. No API key: the badge key is a read-only secret, and a badge shows nothing but job names and health. Rate limited per client address. See docs/api-spec.md#status-badges.`,
        servers: [{ url: '/', description: 'The server root: badges are outside /api.' }],
        security: [],
        request: { params: form.params },
        responses: {
          200: { description: 'The badge.', headers: HEADERS, content: format.content },
          304: { description: '`If-None-Match` holds its ETag: unchanged.', headers: HEADERS },
          404: NOT_FOUND,
          ...problemResponses(429),
        },
      });
    }
  }
}
