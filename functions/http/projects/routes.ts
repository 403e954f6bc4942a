import { createRoute } from '@hono/zod-openapi';
import { createRouter, guardedResponses, jsonBody, jsonContent, requires } from '../openapi.js';
import { projectJson } from './presenters.js';
import { ProjectCreateSchema, ProjectListSchema, ProjectSchema } from './schemas.js';

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
