import { isoTime } from '../iso-time.js';
import type { StatsWindow, RunListParams } from '../inputs.js';
import type { ProjectScope } from '../access.js';
import type { IdempotencyClaim } from '../idempotency.js';
import { DomainError, invalid, notFound } from '../errors.js';
import { NO_PROJECT, scopedProject } from './project-scope.js';
import type { JobRun, Page, RunDetail } from '../models.js';
import { fingerprint, keysetPage } from '../cursor.js';
import type { JobRepository, JobRunRepository, RunChanges } from '../repositories.js';
import { canTransition, isTerminal, type RunStatus } from '../run-status.js';
import { RUN_OUTPUT_MAX_LENGTH, type RunCreateInput, type RunUpdateInput } from '../inputs.js';
import { resolveWindow, windowStats, type WindowStats } from '../run-stats.js';
import type { Logger } from '../logger.js';
import { parseSort, type RunSortField } from '../list-queries.js';

export interface JobStats extends WindowStats {
  jobId: number;
  from: Date;
  to: Date;
  lastRun: JobRun | null;
  lastSuccess: JobRun | null;
  lastFailure: JobRun | null;
}

const sortKey = (run: JobRun, field: RunSortField): number => {
  if (field === 'durationMs') return run.durationMs ?? 0;
  return run[field]?.getTime() ?? 0;
};

export class RunService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly runs: JobRunRepository,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  /** With an idempotency claim, the run and the claim's completion commit together. */
  async create(
    jobId: number,
    input: RunCreateInput,
    scope: ProjectScope,
    claim?: IdempotencyClaim,
  ): Promise<JobRun> {
    const status = input.status ?? 'PENDING';
    const now = this.now();
    const run = await this.runs.createForActiveJob(
      {
        jobId,
        status,
        createdAt: now,
        startedAt: status === 'RUNNING' ? now : null,
        metadata: input.metadata ?? null,
      },
      scope,
      claim,
    );
    if (!run) {
      // Nothing was inserted: say why, without paying for the lookup on the happy path.
      if (!(await this.jobs.exists(jobId, scope))) throw notFound('job', jobId);
      throw new DomainError('JOB_ARCHIVED', `Job ${jobId} is archived and accepts no new runs.`);
    }
    this.logger.info('run created', { runId: run.id, jobId, status });
    return run;
  }

  /**
   * A heartbeat: one conditional write (at most one per run per write interval, whatever the
   * client sends), and a read only when it wrote nothing, to tell why. A run that heartbeats
   * after it finished (swept, cancelled) gets a 409, so its wrapper learns it.
   */
  async heartbeat(runId: number, scope: ProjectScope): Promise<void> {
    if (await this.runs.recordHeartbeat(runId, this.now(), scope)) return;
    const run = await this.runs.findById(runId, scope);
    if (!run) throw notFound('run', runId);
    if (isTerminal(run.status)) {
      const why = run.errorMessage === null ? '' : ` (${run.errorMessage.slice(0, 200)})`;
      throw new DomainError(
        'RUN_FINISHED',
        `Run ${runId} is ${run.status}${why}; it takes no more heartbeats.`,
      );
    }
    // Still open: a heartbeat was written within the interval, and this one is not needed.
  }

  /** The run with its output: the one read that carries it. */
  async get(runId: number, scope: ProjectScope): Promise<RunDetail> {
    const run = await this.runs.findById(runId, scope);
    if (!run) throw notFound('run', runId);
    return run;
  }

  /**
   * One page of runs across jobs (or of `jobId`'s, as a filter: no 404 for a missing job). Sorting
   * by startedAt, finishedAt or durationMs lists only the runs that have one (as `listOfJob` does).
   */
  async list(params: RunListParams, scope: ProjectScope): Promise<Page<JobRun>> {
    const { projectId, filters, sort } = this.listFilters(params, scope);
    return keysetPage({
      ...this.pageOptions(params, filters, sort),
      fetch: (after, limit) =>
        projectId === NO_PROJECT
          ? Promise.resolve([])
          : this.runs.list({ ...filters, sort, after, limit }),
    });
  }

  /**
   * One page of a job's runs (404 when the job is not in the scope) and the job's run change
   * counter, the page's ETag. Both come out of one statement, so the tag names exactly the rows
   * sent, and a page costs one statement. A job's runs can only come back if the job exists in
   * the scope, so only an empty page asks for the counter alone, which also says whether the job
   * exists (docs/performance.md#hand-tuned-code).
   */
  async listOfJob(
    jobId: number,
    params: RunListParams,
    scope: ProjectScope,
  ): Promise<{ page: Page<JobRun>; runChanges: number }> {
    const { projectId, filters, sort } = this.listFilters({ ...params, jobId }, scope);
    let runChanges: number | null = null;
    const page = await keysetPage({
      ...this.pageOptions(params, filters, sort),
      // After the cursor is validated: a 400 comes first.
      fetch: async (after, limit) => {
        if (projectId !== NO_PROJECT) {
          const read = await this.runs.listOfJob({ ...filters, jobId, sort, after, limit });
          if (read.runs.length > 0) {
            runChanges = read.runChanges;
            return read.runs;
          }
        }
        runChanges = await this.jobs.runChanges(jobId, scope);
        if (runChanges === null) throw notFound('job', jobId);
        return [];
      },
    });
    return { page, runChanges: runChanges! };
  }

  private listFilters(params: RunListParams, scope: ProjectScope) {
    const sort = parseSort<RunSortField>((params.sort ?? '-createdAt') as RunSortField);
    const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));
    const projectId = scopedProject(params.projectId, scope);
    const filters = {
      projectId: projectId ?? undefined,
      jobId: params.jobId,
      statuses: params.status && [...params.status].sort(),
      jobType: params.jobType,
      createdAfter: date(params.createdAfter),
      createdBefore: date(params.createdBefore),
      startedAfter: date(params.startedAfter),
      startedBefore: date(params.startedBefore),
      finishedAfter: date(params.finishedAfter),
      finishedBefore: date(params.finishedBefore),
    };
    return { projectId, filters, sort };
  }

  /** What a page's cursor is bound to (its list, filters and sort) and how it is keyed. */
  private pageOptions(
    params: RunListParams,
    filters: ReturnType<RunService['listFilters']>['filters'],
    sort: ReturnType<RunService['listFilters']>['sort'],
  ) {
    return {
      list: fingerprint({ list: 'runs', ...filters, sort }),
      page: params,
      keyType: 'number' as const,
      keyOf: (run: JobRun) => sortKey(run, sort.field),
    };
  }

  /**
   * What a page of the job's runs is made of, as a number that moves with every write to them
   * (its run change counter): a runs page's ETag, checked before any run is read. 404 when the
   * job is not in the scope, as the page itself would be.
   */
  async runsVersion(jobId: number, scope: ProjectScope): Promise<number> {
    const changes = await this.jobs.runChanges(jobId, scope);
    if (changes === null) throw notFound('job', jobId);
    return changes;
  }

  /** Counts, success rate and duration percentiles over a window, and the latest runs. */
  async stats(jobId: number, window: StatsWindow, scope: ProjectScope): Promise<JobStats> {
    const { from, to } = resolveWindow(window, this.now());
    if (!(await this.jobs.exists(jobId, scope))) throw notFound('job', jobId);
    const [summary, lastRun, lastSuccess, lastFailure] = await Promise.all([
      this.runs.windowStats(jobId, from, to),
      this.runs.latest(jobId),
      this.runs.latest(jobId, 'SUCCESS'),
      this.runs.latest(jobId, 'FAILED'),
    ]);
    const n = summary.durationCount;
    // Nearest-rank percentile: the ceil(p * n)-th smallest value.
    const rank = (p: number) =>
      n === 0 ? null : this.runs.durationAtRank(jobId, from, to, Math.ceil(p * n) - 1);
    const [p50, p95] = await Promise.all([rank(0.5), rank(0.95)]);
    return {
      jobId,
      from,
      to,
      ...windowStats(summary.counts, {
        count: n,
        p50: p50 ?? null,
        p95: p95 ?? null,
        max: summary.maxDurationMs,
      }),
      lastRun,
      lastSuccess,
      lastFailure,
    };
  }

  /**
   * Validates the change against the run as read, then applies it with one conditional update
   * that only matches if the run still has the status (and start) it was validated against. Of two
   * racing clients exactly one matches; the other is told why it lost with a 409.
   */
  async update(runId: number, input: RunUpdateInput, scope: ProjectScope): Promise<RunDetail> {
    // The scope is checked here; a run never changes job, nor a job project, so the conditional
    // update below needs no project condition of its own.
    const run = await this.get(runId, scope);
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
    if (typeof input.output === 'string' && input.output.length > RUN_OUTPUT_MAX_LENGTH) {
      throw invalid(
        'output',
        `must be at most ${RUN_OUTPUT_MAX_LENGTH} characters (send the tail)`,
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
    if (input.exitCode !== undefined) changes.exitCode = input.exitCode;
    if (input.output !== undefined) changes.output = input.output;

    const startedAt = changes.startedAt ?? run.startedAt;
    const finishedAt = changes.finishedAt ?? run.finishedAt;
    if (startedAt && finishedAt && finishedAt.getTime() < startedAt.getTime()) {
      throw invalid(
        'finishedAt',
        `finishedAt (${isoTime(finishedAt)}) is before startedAt (${isoTime(startedAt)}).`,
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
