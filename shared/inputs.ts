import type { Scope } from './access.js';
import type { ListOptions } from './cursor.js';
import type { JobHealth } from './job-health.js';
import type { ArchivedFilter } from './list-queries.js';
import type { Metadata } from './models.js';
import type { InitialStatus, RunStatus } from './run-status.js';
import type { WebhookEventType } from './webhooks/model.js';
import type { ChannelConfig } from './channels/model.js';

/**
 * What the services accept, as plain domain types. The HTTP layer validates requests with its own
 * wire schemas (functions/http/schemas.ts) whose output is assignable to these; the domain never sees
 * an HTTP shape.
 */
/** The sweeper's limits, in whole seconds; null clears one. */
export interface JobLimitsInput {
  heartbeatTimeoutSeconds?: number | null;
  maxDurationSeconds?: number | null;
  pendingTimeoutSeconds?: number | null;
  /** When a run is expected (validated: shared/schedules.ts), its time zone and grace. */
  schedule?: string | null;
  timezone?: string | null;
  graceSeconds?: number | null;
}

export interface JobCreateInput extends JobLimitsInput {
  name: string;
  /** A valid job key (shared/job-keys.ts); derived from the name when absent. */
  key?: string;
  description?: string | null;
  type?: string | null;
  projectId?: number;
}

export interface JobUpdateInput extends JobLimitsInput {
  name?: string;
  key?: string;
  description?: string | null;
  type?: string | null;
  archived?: boolean;
}

/** PUT /jobs/by-key/{key}: the job's fields but its key (the path's) and project (the query's). */
export type JobPutInput = Omit<JobCreateInput, 'key' | 'projectId' | 'name'> & { name?: string };

export interface RunCreateInput {
  status?: InitialStatus;
  metadata?: Metadata | null;
}

/** Timestamps are ISO-8601 strings, validated by the HTTP layer. */
export interface RunUpdateInput {
  status?: RunStatus;
  errorMessage?: string | null;
  metadata?: Metadata | null;
  exitCode?: number | null;
  /** The tail of a command's output, at most RUN_OUTPUT_MAX_LENGTH characters. */
  output?: string | null;
  startedAt?: string;
  finishedAt?: string;
}

/** The longest run output kept, in characters (UTF-16 code units, as JavaScript counts). */
export const RUN_OUTPUT_MAX_LENGTH = 65_536;

export interface JobListParams extends ListOptions {
  projectId?: number;
  archived?: ArchivedFilter;
  type?: string;
  q?: string;
  sort?: string;
  health?: JobHealth[];
}

/** A job addressed by its key: in the project asked for (`?projectId=`), seen through the scope. */
export interface JobKeyRef {
  key: string;
  projectId?: number;
}

export interface RunListParams extends ListOptions {
  /** A filter from the query (`RunService.listOfJob` lists one job's runs, with its 404). */
  jobId?: number;
  projectId?: number;
  status?: RunStatus[];
  jobType?: string;
  createdAfter?: string;
  createdBefore?: string;
  startedAfter?: string;
  startedBefore?: string;
  finishedAfter?: string;
  finishedBefore?: string;
  sort?: string;
}

export interface JobSummaryParams extends JobListParams {
  /** The stats window back from now (`7d` by default). */
  window?: string;
}

/** A relative window (`7d`, `24h`, `30m`) or ISO-8601 bounds; from inclusive, to exclusive. */
export interface StatsWindow {
  window?: string;
  from?: string;
  to?: string;
}

export interface WebhookInput {
  url: string;
  description?: string | null;
  events: WebhookEventType[];
  projectId?: number;
  jobId?: number;
}

export interface WebhookPatch {
  url?: string;
  description?: string | null;
  events?: WebhookEventType[];
  enabled?: boolean;
}

/** POST /api/channels, its `config` checked against its `type` (shared/channels/model.ts). */
export interface ChannelInput {
  name: string;
  config: ChannelConfig;
  events: WebhookEventType[];
  jobIds?: number[];
  projectId?: number;
}

export interface ChannelPatch {
  name?: string;
  /** The whole config again (secrets are write-only), of the channel's own type. */
  config?: ChannelConfig;
  events?: WebhookEventType[];
  jobIds?: number[] | null;
  enabled?: boolean;
}

export interface NewKeyRequest {
  name: string;
  scope: Scope;
  projectId?: number;
  /** When it stops working (in the future); absent: never. */
  expiresAt?: Date;
}

/** What a Healthchecks-style ping signals: /ping/{uuid}[/start|/fail|/log|/{exit-status}]. */
export type PingSignal =
  | { kind: 'success' }
  | { kind: 'start' }
  | { kind: 'fail' }
  | { kind: 'log' }
  | { kind: 'exit'; status: number };

export interface Ping {
  signal: PingSignal;
  /** Healthchecks' `rid` (a UUID): pairs a start with its finish when runs overlap. */
  rid?: string;
  /** The request body (already cut to what is kept), stored as the run's output tail. */
  body?: string;
}
