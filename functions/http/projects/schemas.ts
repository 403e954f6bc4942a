import { z } from 'zod';
import { idParams, IsoTimestamp } from '../wire-primitives.js';

/** The projects' wire shapes: `/projects`. */

export const ProjectSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    pingKey: z.string().nullable().optional().meta({
      description:
        'The secret of the slug ping form `/ping/{pingKey}/{jobKey}` (docs/alerts.md); only admin keys see it.',
      example: '3f9a1c0d5e7b2a4c6d8e0f1a2b3c4d5e',
    }),
    badgeKey: z.string().nullable().optional().meta({
      description:
        "The read-only secret of the project's status badges `/badge/{badgeKey}/{jobKey}.svg` (docs/api-spec.md#status-badges); null until `POST /projects/{id}/badge-key` turns them on; only admin keys see it.",
      example: '9c1e0b7a4d2f4e6a8b0c1d2e3f405162',
    }),
    retentionDays: z.number().int().nullable().meta({
      description:
        "Days a finished run is kept; null follows the server's `RUN_RETENTION_DAYS`, 0 keeps every run. Each job keeps its newest `RUN_RETENTION_MIN_RUNS` runs, and open runs, whatever their age.",
      example: 90,
    }),
    createdAt: IsoTimestamp,
  })
  .meta({ id: 'Project' });

export const ProjectDetailSchema = ProjectSchema.extend({
  effectiveRetentionDays: z.number().int().meta({
    description:
      "The retention in effect: `retentionDays`, or the server's when that is null; 0 keeps all.",
    example: 90,
  }),
  runs: z
    .object({
      count: z.number().int().meta({ description: 'Runs its jobs have now.', example: 12840 }),
      oldestAt: IsoTimestamp.nullable().meta({
        description: 'When the oldest run kept was created; null without runs.',
      }),
    })
    .meta({ description: 'What retention has left.' }),
}).meta({ id: 'ProjectDetail' });

export const ProjectIdParamsSchema = idParams('id', 'Project id.');

const RetentionDays = z
  .number()
  .int('must be a whole number of days')
  .min(0, 'must be 0 (keep every run) or more')
  .max(36_500, 'must be at most 36500')
  .nullable();

export const ProjectListSchema = z
  .object({ data: z.array(ProjectSchema) })
  .meta({ id: 'ProjectList' });

const ProjectName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .regex(/^[^\x00-\x1f\x7f]+$/, 'must not contain control characters');

export const ProjectCreateSchema = z
  .strictObject({ name: ProjectName })
  .meta({ example: { name: 'data-platform' } });

export const ProjectDeleteSchema = z
  .strictObject({
    confirm: z.string().meta({
      description: "The project's name, exactly: a deletion cannot be undone.",
      example: 'data-platform',
    }),
  })
  .meta({ example: { confirm: 'data-platform' } });

export const ProjectDeletionSchema = z
  .object({
    deleted: z
      .object({
        jobs: z.number().int(),
        runs: z.number().int(),
        keys: z.number().int(),
        webhooks: z.number().int(),
        channels: z.number().int(),
      })
      .meta({ description: 'What went with the project.' }),
  })
  .meta({ id: 'ProjectDeletion' });

export const ProjectUpdateSchema = z
  .strictObject({ name: ProjectName.optional(), retentionDays: RetentionDays.optional() })
  .meta({ example: { retentionDays: 90 } });
