import type { ProjectScope } from '../access.js';

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
