import { randomUUID } from 'node:crypto';
import type { paths } from '../../../openapi/schema.js';
import { attempt, isRetryable, type Api, type Failure, type Outcome, type Run } from '../api.js';
import { withRetry } from '../retry.js';

/**
 * One wrapped command's run on the tracker: create it (RUNNING), keep it alive with heartbeats,
 * finish it. The tracker being down or slow never reaches the command: every call is bounded,
 * failures are retried with backoff, and the user hears about it on one stderr line, not one per
 * attempt. One run per invocation: every create carries the same Idempotency-Key, so a retried
 * create whose first answer was lost replays that run instead of making a second one, and the
 * finish always patches that same run.
 */

export type FinishBody = NonNullable<
  paths['/runs/{runId}']['patch']['requestBody']
>['content']['application/json'];

export interface RunReporterOptions {
  api: Api;
  jobKey: string;
  projectId: number | undefined;
  metadata: Record<string, string> | undefined;
  heartbeatIntervalMs: number;
  /** Prints one `chronotrack:` line to stderr. */
  warn: (message: string) => void;
}

/** How long the command waits for its run to be created before it starts anyway. */
export const START_BUDGET_MS = 5_000;
/** How long the wrapper keeps trying to finish a run once the command has ended. */
export const FINISH_DEADLINE_MS = 60_000;

export class RunReporter {
  private readonly idempotencyKey = randomUUID();
  private runId: number | undefined;
  /** start() has returned: the command is running. */
  private commandRunning = false;
  /** The run was created only after the command had started: its start time must be corrected. */
  private createdLate = false;
  /** No point trying again (a 4xx such as a bad key): already said so. */
  private createAbandoned = false;
  private background: Promise<void> | undefined;
  private readonly stopBackground = new AbortController();
  private lastCreateAttemptEnd = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatInFlight = false;
  /** A heartbeat answered 409: the tracker finished the run itself (swept or cancelled). */
  private finishedByTracker = false;

  constructor(private readonly options: RunReporterOptions) {}

  get id(): number | undefined {
    return this.runId;
  }

  /**
   * Creates the run, waiting at most START_BUDGET_MS. If the tracker cannot be reached by then,
   * warns once and keeps trying in the background while the command runs.
   */
  async start(): Promise<void> {
    const outcome = await this.create(Date.now() + START_BUDGET_MS);
    this.commandRunning = true;
    if (outcome.ok) return;
    if (!isRetryable(outcome)) {
      this.abandon(outcome);
      return;
    }
    this.options.warn(
      `cannot reach the tracker (${outcome.message}); running the command anyway and retrying in the background`,
    );
    this.background = this.retryInBackground();
  }

  /**
   * Finishes the run with the command's result, retrying until it lands or FINISH_DEADLINE_MS
   * passes. `startedAt` is the command's real start, sent only when the run was created late.
   */
  async finish(body: FinishBody, startedAt: Date): Promise<void> {
    this.stopHeartbeats();
    this.stopBackground.abort();
    await this.background;
    if (this.runId === undefined && !this.createAbandoned) {
      // The tracker may be back since the last background attempt: one more try.
      if (Date.now() - this.lastCreateAttemptEnd > 1_000) {
        const outcome = await this.create(Date.now() + 5_000);
        if (!outcome.ok && !isRetryable(outcome)) this.abandon(outcome);
      }
    }
    const runId = this.runId;
    if (runId === undefined || this.finishedByTracker) return;
    if (this.createdLate) {
      body = { ...body, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString() };
    }
    const deadline = Date.now() + FINISH_DEADLINE_MS;
    let outcome = await this.patch(runId, body, deadline);
    if (
      !outcome.ok &&
      outcome.status === 400 &&
      (body.exitCode !== undefined || body.output !== undefined)
    ) {
      // A tracker older than exitCode/output refuses them as unknown fields: report the rest.
      const { exitCode: _exitCode, output: _output, ...older } = body;
      outcome = await this.patch(runId, older, deadline);
    }
    if (outcome.ok) return;
    if (outcome.status === 409) await this.explainConflict(runId, body.status);
    else this.options.warn(`could not finish run ${runId}: ${outcome.message}`);
  }

  private create(deadline: number): Promise<Outcome<Run>> {
    const { api, jobKey, projectId, metadata } = this.options;
    const call = (timeoutMs: number) =>
      attempt(
        (signal) =>
          api.POST('/jobs/by-key/{key}/runs', {
            params: {
              path: { key: jobKey },
              query: projectId === undefined ? {} : { projectId: String(projectId) },
              header: { 'Idempotency-Key': this.idempotencyKey },
            },
            body: metadata ? { status: 'RUNNING', metadata } : { status: 'RUNNING' },
            signal,
          }),
        timeoutMs,
      );
    return withRetry(
      async (timeoutMs) => {
        const outcome = await call(timeoutMs);
        this.lastCreateAttemptEnd = Date.now();
        if (outcome.ok) this.created(outcome.data);
        return outcome;
      },
      { deadline, signal: this.stopBackground.signal },
    );
  }

  private async retryInBackground(): Promise<void> {
    const outcome = await this.create(Number.POSITIVE_INFINITY);
    if (outcome.ok) return;
    if (!isRetryable(outcome)) this.abandon(outcome);
  }

  private created(run: Run) {
    this.runId = run.id;
    this.createdLate = this.commandRunning;
    this.startHeartbeats();
  }

  private abandon(failure: Failure) {
    this.createAbandoned = true;
    this.options.warn(
      `could not create the run of job '${this.options.jobKey}': ${failure.message}`,
    );
  }

  private patch(runId: number, body: FinishBody, deadline: number) {
    const { api } = this.options;
    return withRetry(
      (timeoutMs) =>
        attempt(
          (signal) =>
            api.PATCH('/runs/{runId}', {
              params: { path: { runId: String(runId) } },
              body,
              signal,
            }),
          timeoutMs,
        ),
      { deadline },
    );
  }

  /**
   * The finish answered 409: either an earlier attempt of ours landed and only its answer was
   * lost (the run has our status: nothing to say), or someone else finished the run first.
   */
  private async explainConflict(runId: number, status: FinishBody['status']) {
    const current = await attempt((signal) =>
      this.options.api.GET('/runs/{runId}', { params: { path: { runId: String(runId) } }, signal }),
    );
    if (current.ok && current.data.status === status) return;
    let now = 'finished';
    if (current.ok) {
      const { status: was, errorMessage } = current.data;
      now = errorMessage ? `${was} (${errorMessage})` : was;
    }
    this.options.warn(
      `run ${runId} was already ${now} on the tracker; this result was not recorded`,
    );
  }

  private startHeartbeats() {
    this.heartbeatTimer = setInterval(
      () => void this.heartbeat(),
      this.options.heartbeatIntervalMs,
    );
    this.heartbeatTimer.unref();
  }

  private stopHeartbeats() {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /**
   * One heartbeat, not retried: the next tick is the retry. A 409 means the tracker finished the
   * run (its sweeper declared it lost, or someone cancelled it): say so once and let the command
   * go on. A 404 is a tracker without heartbeats (or without this run): stop, quietly.
   */
  private async heartbeat() {
    const runId = this.runId;
    if (runId === undefined || this.heartbeatInFlight) return;
    this.heartbeatInFlight = true;
    const outcome = await attempt((signal) =>
      this.options.api.POST('/runs/{runId}/heartbeat', {
        params: { path: { runId: String(runId) } },
        signal,
      }),
    );
    this.heartbeatInFlight = false;
    if (outcome.ok || this.heartbeatTimer === undefined) return;
    if (outcome.status === 409) {
      this.finishedByTracker = true;
      this.stopHeartbeats();
      this.options.warn(
        `run ${runId} was finished on the tracker (${outcome.message}); the command keeps running`,
      );
    } else if (outcome.status === 404 || outcome.status === 401 || outcome.status === 403) {
      this.stopHeartbeats();
    }
  }
}
