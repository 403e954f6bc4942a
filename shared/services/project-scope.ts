import type { ProjectScope } from '../access.js';
import { notFound } from '../errors.js';

/** Migration 0002 creates it and puts every earlier job in it. */
export const DEFAULT_PROJECT_ID = 1;

/** A project id no row has: a list filtered to it is empty without asking the store. */
export const NO_PROJECT = -1;

/**
 * The project a list is filtered to: the caller's own when it is bound to one (asking for another
 * gives NO_PROJECT, an empty list), else the one asked for, else none (null: every project).
 */
export function scopedProject(asked: number | undefined, scope: ProjectScope): number | null {
  if (scope === null) return asked ?? null;
  return asked === undefined || asked === scope ? scope : NO_PROJECT;
}

/**
 * The one project a request addresses (by-key routes, which name a job by its key in a project):
 * a project-scoped caller's own (another one asked for is a 404, as if it did not exist), else the
 * one asked for, else `default`.
 */
export function addressedProject(asked: number | undefined, scope: ProjectScope): number {
  if (scope === null) return asked ?? DEFAULT_PROJECT_ID;
  if (asked !== undefined && asked !== scope) throw notFound('project', asked);
  return scope;
}
