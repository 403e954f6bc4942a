import { createRoute } from '@hono/zod-openapi';
import { createRouter, guardedResponses, jsonBody, jsonContent, requires } from '../openapi.js';
import { projectDetailJson, projectJson } from './presenters.js';
import {
  ProjectCreateSchema,
  ProjectDeleteSchema,
  ProjectDeletionSchema,
  ProjectDetailSchema,
  ProjectIdParamsSchema,
  ProjectListSchema,
  ProjectSchema,
  ProjectUpdateSchema,
} from './schemas.js';

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

const getProject = createRoute({
  operationId: 'getProject',
  ...requires('read'),
  method: 'get',
  path: '/{id}',
  tags: ['projects'],
  summary: 'Get a project',
  description:
    'The project with its retention in effect and its runs now (how many, the oldest kept). A project-scoped key sees only its own (another is a 404).',
  request: { params: ProjectIdParamsSchema },
  responses: {
    200: jsonContent(ProjectDetailSchema, 'The project.'),
    ...guardedResponses(400, 404),
  },
});

const updateProject = createRoute({
  operationId: 'updateProject',
  ...requires('admin'),
  method: 'patch',
  path: '/{id}',
  tags: ['projects'],
  summary: 'Rename a project or set its retention',
  description:
    "`retentionDays`: days a finished run is kept (0 keeps all, null follows the server's `RUN_RETENTION_DAYS`); the sweeps delete older ones in small batches (docs/deployment.md#retention).",
  request: { params: ProjectIdParamsSchema, body: jsonBody(ProjectUpdateSchema) },
  responses: {
    200: jsonContent(ProjectDetailSchema, 'The changed project.'),
    ...guardedResponses(400, 404, 409, 413, 415),
  },
});

const deleteProject = createRoute({
  operationId: 'deleteProject',
  ...requires('admin'),
  method: 'delete',
  path: '/{id}',
  tags: ['projects'],
  summary: 'Delete a project with everything in it',
  description:
    "Deletes the project's jobs, their runs, its keys (revoked first), webhooks and channels, then the project; `confirm` must be its name. Runs go in batches: a large project takes a while, and a deletion cut short is finished by sending it again. Project 1 cannot be deleted (409).",
  request: { params: ProjectIdParamsSchema, body: jsonBody(ProjectDeleteSchema) },
  responses: {
    200: jsonContent(ProjectDeletionSchema, 'Deleted, with what went with it.'),
    ...guardedResponses(400, 404, 409, 413, 415),
  },
});

const rotateBadgeKey = createRoute({
  operationId: 'rotateProjectBadgeKey',
  ...requires('admin'),
  method: 'post',
  path: '/{id}/badge-key',
  tags: ['projects'],
  summary: "Turn on or rotate a project's status badges",
  description:
    'Gives the project a new `badgeKey`: its status badges (`/badge/{badgeKey}/{jobKey}.svg`, docs/api-spec.md#status-badges) are served from then on, and every badge URL with the previous key answers 404 at once.',
  request: { params: ProjectIdParamsSchema },
  responses: {
    200: jsonContent(ProjectDetailSchema, 'The project, with its new `badgeKey`.'),
    ...guardedResponses(400, 404),
  },
});

export const projectsApi = createRouter()
  .openapi(listProjects, async (c) => {
    const projects = await c.get('services').projects.list(c.get('principal').projectId);
    const admin = c.get('principal').scope === 'admin';
    return c.json({ data: projects.map((project) => projectJson(project, admin)) }, 200);
  })
  .openapi(createProject, async (c) => {
    const project = await c.get('services').projects.create(c.req.valid('json').name);
    return c.json(projectJson(project, true), 201);
  })
  .openapi(getProject, async (c) => {
    const principal = c.get('principal');
    const detail = await c
      .get('services')
      .projects.get(c.req.valid('param').id, principal.projectId);
    return c.json(projectDetailJson(detail, principal.scope === 'admin'), 200);
  })
  .openapi(updateProject, async (c) => {
    const detail = await c
      .get('services')
      .projects.update(c.req.valid('param').id, c.req.valid('json'));
    return c.json(projectDetailJson(detail, true), 200);
  })
  .openapi(rotateBadgeKey, async (c) => {
    const detail = await c.get('services').projects.rotateBadgeKey(c.req.valid('param').id);
    return c.json(projectDetailJson(detail, true), 200);
  })
  .openapi(deleteProject, async (c) => {
    const { id } = c.req.valid('param');
    const deleted = await c.get('services').projects.delete(id, c.req.valid('json').confirm);
    return c.json({ deleted }, 200);
  });
