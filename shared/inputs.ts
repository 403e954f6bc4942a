import type { Metadata } from './models.js';
import type { InitialStatus, RunStatus } from './run-status.js';

/**
 * What the services accept, as plain domain types. The HTTP layer validates requests with its own
 * wire schemas (functions/schemas.ts) whose output is assignable to these; the domain never sees
 * an HTTP shape.
 */
export interface JobCreateInput {
  name: string;
  description?: string | null;
  type?: string | null;
  projectId?: number;
}

export interface JobUpdateInput {
  name?: string;
  description?: string | null;
  type?: string | null;
  archived?: boolean;
}

export interface RunCreateInput {
  status?: InitialStatus;
  metadata?: Metadata | null;
}

/** Timestamps are ISO-8601 strings, validated by the HTTP layer. */
export interface RunUpdateInput {
  status?: RunStatus;
  errorMessage?: string | null;
  metadata?: Metadata | null;
  startedAt?: string;
  finishedAt?: string;
}

/** A stats window relative to now: 1 to 9999 minutes, hours or days (`30m`, `24h`, `7d`). */
export const STATS_WINDOW = /^([1-9][0-9]{0,3})(m|h|d)$/;

/** Milliseconds in a `window` value such as `7d`. */
export function windowMs(window: string): number {
  const [, amount, unit] = STATS_WINDOW.exec(window) ?? [];
  return Number(amount) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 'm' | 'h' | 'd'];
}
