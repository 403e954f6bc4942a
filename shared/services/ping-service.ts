import { DomainError } from '../errors.js';
import type { Job, JobRun } from '../models.js';
import type { JobRepository, JobRunRepository, ProjectRepository } from '../repositories.js';
import { RUN_OUTPUT_MAX_LENGTH, type Ping } from '../inputs.js';
import type { JobService } from './job-service.js';
import type { RunService } from './run-service.js';

/**
 * `ignored`: the job is archived (Healthchecks' paused check with manual resume: answered OK,
 * nothing recorded). `created`: the slug form provisioned the job (?create=1).
 */
export type PingOutcome = 'ok' | 'ignored' | 'created';

/** Open runs a finish looks through for its start (overlapping runs of one job are few). */
const OPEN_RUNS_SCANNED = 50;

const ridOf = (run: JobRun): string | undefined => {
  const rid = run.metadata?.rid;
  return typeof rid === 'string' ? rid : undefined;
};

/** Keeps the last RUN_OUTPUT_MAX_LENGTH characters: the end of a log is what explains it. */
export const outputTail = (text: string): string =>
  text.length > RUN_OUTPUT_MAX_LENGTH ? text.slice(text.length - RUN_OUTPUT_MAX_LENGTH) : text;

/**
 * Turns pings into runs through the run service, exactly as the API's POST and PATCH create and
 * finish them (job_metrics, the sweeper and the event log see nothing different). A ping carries
 * no API key: the job's ping UUID (or its project's ping key) is the secret, so every run is
 * created with the unrestricted scope of the job found.
 */
export class PingService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly runs: JobRunRepository,
    private readonly projects: ProjectRepository,
    private readonly runService: RunService,
    private readonly jobService: JobService,
  ) {}

  /** The job of `/ping/{uuid}`, or null (Healthchecks' `404 not found`). */
  byUuid(uuid: string): Promise<Job | null> {
    return this.jobs.findByPingUuid(uuid.toLowerCase());
  }

  /**
   * The job of `/ping/{pingKey}/{jobKey}`; with `create`, a job of that key is created in the
   * project when there is none (`created` is then true). Null when the key or the job is unknown.
   */
  async bySlug(
    pingKey: string,
    jobKey: string,
    create: boolean,
  ): Promise<{ job: Job; created: boolean } | null> {
    const project = await this.projects.findByPingKey(pingKey.toLowerCase());
    if (!project) return null;
    const job = await this.jobs.findByKey(project.id, jobKey);
    if (job) return { job, created: false };
    if (!create) return null;
    try {
      const made = await this.jobService.create({ name: jobKey, key: jobKey }, project.id);
      return { job: made, created: true };
    } catch (error) {
      // Two first pings of one slug at once: the other created it.
      if (!(error instanceof DomainError && error.code === 'JOB_KEY_TAKEN')) throw error;
      const raced = await this.jobs.findByKey(project.id, jobKey);
      return raced ? { job: raced, created: false } : null;
    }
  }

  async record(job: Job, ping: Ping): Promise<PingOutcome> {
    if (job.archived) return 'ignored';
    const { signal } = ping;
    if (signal.kind === 'start') {
      await this.runService.create(
        job.id,
        { status: 'RUNNING', metadata: { source: 'ping', ...(ping.rid ? { rid: ping.rid } : {}) } },
        null,
      );
      return 'ok';
    }
    const open = await this.openRun(job.id, ping.rid);
    if (signal.kind === 'log') {
      // A log never changes a status, and without an open run there is nothing to attach it to.
      if (open && ping.body) await this.appendOutput(open.id, ping.body);
      return 'ok';
    }
    const failed = signal.kind === 'fail' || (signal.kind === 'exit' && signal.status !== 0);
    const exitCode = signal.kind === 'exit' ? signal.status : undefined;
    const finish = {
      status: failed ? ('FAILED' as const) : ('SUCCESS' as const),
      ...(exitCode !== undefined ? { exitCode } : {}),
      ...(failed
        ? {
            errorMessage:
              exitCode !== undefined
                ? `exit status ${exitCode} (ping)`
                : 'failure signalled (ping)',
          }
        : {}),
      ...(ping.body ? { output: outputTail(ping.body) } : {}),
    };
    if (open) {
      try {
        await this.runService.update(open.id, finish, null);
        return 'ok';
      } catch (error) {
        // Finished meanwhile (swept, cancelled, another finish): record this ping as its own run.
        if (!(error instanceof DomainError) || error.code === 'RUN_NOT_FOUND') throw error;
      }
    }
    // No start to pair with (a plain curl line): a run that started and finished now.
    const run = await this.runService.create(
      job.id,
      { status: 'RUNNING', metadata: { source: 'ping', ...(ping.rid ? { rid: ping.rid } : {}) } },
      null,
    );
    await this.runService.update(run.id, finish, null);
    return 'ok';
  }

  /**
   * The run a finish or log belongs to: with a rid, the open run started with that rid; without,
   * the newest open run started by a ping without one (Healthchecks pairs a finish with the last
   * start the same way). Runs the API started are never finished by a ping.
   */
  private async openRun(jobId: number, rid: string | undefined): Promise<JobRun | null> {
    const open = await this.runs.list({
      jobId,
      statuses: ['RUNNING'],
      sort: { field: 'createdAt', descending: true },
      limit: OPEN_RUNS_SCANNED,
    });
    return open.find((run) => run.metadata?.source === 'ping' && ridOf(run) === rid) ?? null;
  }

  private async appendOutput(runId: number, body: string): Promise<void> {
    const run = await this.runService.get(runId, null);
    const output = run.output ? `${run.output}\n${body}` : body;
    await this.runService.update(runId, { output: outputTail(output) }, null);
  }
}
