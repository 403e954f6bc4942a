import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import type { Project } from '../../../shared/models.js';
import { createRouter, guardedResponses, jsonBody, jsonContent, requires } from '../openapi.js';
import { IsoTimestamp } from '../wire-primitives.js';

const ProjectSchema = z
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

const ProjectListSchema = z.object({ data: z.array(ProjectSchema) }).meta({ id: 'ProjectList' });

const ProjectCreateSchema = z
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

/** The ping key is a write secret of every job of the project: admin keys only see it. */
const projectJson = (project: Project, admin: boolean) => ({
  id: project.id,
  name: project.name,
  ...(admin ? { pingKey: project.pingKey } : {}),
  createdAt: project.createdAt.toISOString(),
});

const listProjects = createRoute({
  operationId: 'listProjects',
  ...requires('read'),
  method: 'get',
  path: '/',
  tags: ['projects'],
  summary: 'List projects',
  description: 'Every project, oldest first; a project-scoped key sees only its own.',
  responses: { 200: jsonContent(ProjectListSchema, 'The projects.'), ...guardedResponses() },
});

const createProject = createRoute({
  operationId: 'createProject',
  ...requires('admin'),
  method: 'post',
  path: '/',
  tags: ['projects'],
  summary: 'Create a project',
  request: { body: jsonBody(ProjectCreateSchema) },
  responses: {
    201: jsonContent(ProjectSchema, 'The created project.'),
    ...guardedResponses(400, 409, 413, 415),
  },
});

export const projectsApi = createRouter()
  .openapi(listProjects, async (c) => {
    const projects = await c.var.services.projects.list(c.var.principal.projectId);
    const admin = c.var.principal.scope === 'admin';
    return c.json({ data: projects.map((project) => projectJson(project, admin)) }, 200);
  })
  .openapi(createProject, async (c) => {
    const project = await c.var.services.projects.create(c.req.valid('json').name);
    return c.json(projectJson(project, true), 201);
  });
