import { DomainError, invalid, notFound } from '../errors.js';
import type { JobRun, Page } from '../models.js';
import { decodeCursor, toPage } from '../cursor.js';
import type { JobRepository, JobRunRepository, RunChanges } from '../repositories.js';
import { canTransition, isTerminal, type RunStatus } from '../run-status.js';
import type { RunCreateInput, RunUpdateInput } from '../schemas.js';
import type { Logger } from '../logger.js';
import { DEFAULT_PAGE_SIZE, type ListOptions } from './job-service.js';

export class RunService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly runs: JobRunRepository,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  async create(jobId: number, input: RunCreateInput): Promise<JobRun> {
    const status = input.status ?? 'PENDING';
    const now = this.now();
    const run = await this.runs.createForActiveJob({
      jobId,
      status,
      createdAt: now,
      startedAt: status === 'RUNNING' ? now : null,
      metadata: input.metadata ?? null,
    });
    if (!run) {
      // Nothing was inserted: say why, without paying for the lookup on the happy path.
      if (!(await this.jobs.findById(jobId))) throw notFound('job', jobId);
      throw new DomainError('JOB_ARCHIVED', `Job ${jobId} is archived and accepts no new runs.`);
    }
    this.logger.info('run created', { runId: run.id, jobId, status });
    return run;
  }

  async get(runId: number): Promise<JobRun> {
    const run = await this.runs.findById(runId);
    if (!run) throw notFound('run', runId);
    return run;
  }

  async listForJob(jobId: number, options: ListOptions): Promise<Page<JobRun>> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const beforeId = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    if (!(await this.jobs.findById(jobId))) throw notFound('job', jobId);
    return toPage(await this.runs.listByJob({ jobId, beforeId, limit: limit + 1 }), limit);
  }

  /**
   * Validates the change against the run as read, then applies it with one conditional update
   * that only matches if the run still has the status (and start) it was validated against. Of two
   * racing clients exactly one matches; the other is told why it lost with a 409.
   */
  async update(runId: number, input: RunUpdateInput): Promise<JobRun> {
    const run = await this.get(runId);
    const changes = this.plan(run, input);
    if (Object.keys(changes).length === 0) return run;

    const updated = await this.runs.updateIf(
      runId,
      { statuses: [run.status], startedAt: run.startedAt },
      changes,
    );
    if (!updated) throw await this.explainLostUpdate(runId, input.status);
    if (changes.status) {
      this.logger.info('run status changed', {
        runId,
        jobId: run.jobId,
        from: run.status,
        to: changes.status,
      });
    }
    return updated;
  }

  private plan(run: JobRun, input: RunUpdateInput): RunChanges {
    const target: RunStatus = input.status ?? run.status;
    if (input.status !== undefined && !canTransition(run.status, input.status)) {
      throw new DomainError(
        'INVALID_TRANSITION',
        `Run ${run.id} cannot move from ${run.status} to ${input.status}.`,
      );
    }
    if (input.errorMessage !== undefined && input.status !== 'FAILED') {
      throw invalid('errorMessage', 'errorMessage is only accepted together with status FAILED.');
    }
    if (
      input.status === undefined &&
      isTerminal(run.status) &&
      (input.startedAt || input.finishedAt)
    ) {
      throw new DomainError(
        'RUN_FINISHED',
        `Run ${run.id} is ${run.status}; its timestamps can no longer change.`,
      );
    }
    if (input.finishedAt !== undefined && !(input.status && isTerminal(input.status))) {
      throw invalid(
        'finishedAt',
        'finishedAt is only accepted together with a terminal status (SUCCESS, FAILED, CANCELLED).',
      );
    }
    if (input.startedAt !== undefined && target !== 'RUNNING' && run.startedAt === null) {
      throw invalid('startedAt', 'startedAt is only accepted for a run that is or was RUNNING.');
    }

    const now = this.now();
    const changes: RunChanges = {};
    if (input.status !== undefined) changes.status = input.status;
    if (input.startedAt !== undefined) changes.startedAt = new Date(input.startedAt);
    else if (input.status === 'RUNNING') changes.startedAt = now;
    if (input.status !== undefined && isTerminal(input.status)) {
      changes.finishedAt = input.finishedAt !== undefined ? new Date(input.finishedAt) : now;
    }
    if (input.errorMessage !== undefined) changes.errorMessage = input.errorMessage;
    if (input.metadata !== undefined) changes.metadata = input.metadata;

    const startedAt = changes.startedAt ?? run.startedAt;
    const finishedAt = changes.finishedAt ?? run.finishedAt;
    if (startedAt && finishedAt && finishedAt.getTime() < startedAt.getTime()) {
      throw invalid(
        'finishedAt',
        `finishedAt (${finishedAt.toISOString()}) is before startedAt (${startedAt.toISOString()}).`,
      );
    }
    return changes;
  }

  private async explainLostUpdate(
    runId: number,
    wanted: RunStatus | undefined,
  ): Promise<DomainError> {
    const current = await this.runs.findById(runId);
    if (!current) return notFound('run', runId);
    if (wanted !== undefined && !canTransition(current.status, wanted)) {
      return new DomainError(
        'INVALID_TRANSITION',
        `Run ${runId} cannot move from ${current.status} to ${wanted}.`,
      );
    }
    return new DomainError(
      'CONCURRENT_UPDATE',
      `Run ${runId} changed while this update was applied; retry against its current state.`,
    );
  }
}
