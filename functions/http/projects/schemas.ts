import { z } from 'zod';
import { IsoTimestamp } from '../wire-primitives.js';

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
    createdAt: IsoTimestamp,
  })
  .meta({ id: 'Project' });

export const ProjectListSchema = z
  .object({ data: z.array(ProjectSchema) })
  .meta({ id: 'ProjectList' });

export const ProjectCreateSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters')
      // eslint-disable-next-line no-control-regex -- refusing control characters is the point
      .regex(/^[^\x00-\x1f\x7f]+$/, 'must not contain control characters'),
  })
  .meta({ example: { name: 'data-platform' } });
