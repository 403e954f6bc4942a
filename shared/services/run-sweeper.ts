import { SWEEP_BATCH_SIZE, type SweptRun } from '../heartbeats.js';
import type { Logger } from '../logger.js';
import type { RunSweepRepository } from '../repositories.js';
import type { SlowRun } from '../slow-runs.js';

/**
 * Flags the RUNNING runs that turned slow (shared/slow-runs.ts), then fails the runs that are lost: RUNNING past their job's heartbeatTimeoutSeconds ("heartbeat
 * lost") or maxDurationSeconds ("timed out"), PENDING past pendingTimeoutSeconds ("never
 * started"). Each batch is one compare-and-set statement, so any number of processes may sweep
 * one database at once: each run is failed by exactly one of them, and a run that finishes at
 * the same moment keeps its own ending. A sweep with nothing to do changes nothing.
 *
 * Runs on an interval on Node (functions/runtime/node-sweeps.ts) and on a Cron Trigger on Workers
 * (the `scheduled` handler of functions/runtime/worker.ts).
 */
export class RunSweeper {
  constructor(
    private readonly sweeps: RunSweepRepository,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly batchSize = SWEEP_BATCH_SIZE,
  ) {}

  /**
   * Sweeps as of `now` (the clock by default), batch after batch, and returns what it failed.
   * First it flags the RUNNING runs that turned slow: a run failed below at the same `now` then
   * ends as slow as the finishing UPDATE would have made it.
   */
  async sweep(now: Date = this.now()): Promise<SweptRun[]> {
    await this.flagSlow(now);
    const swept: SweptRun[] = [];
    for (;;) {
      const batch = await this.sweeps.failLostRuns(now, this.batchSize);
      for (const run of batch) {
        this.logger.info('run swept', { runId: run.runId, jobId: run.jobId, reason: run.reason });
        swept.push(run);
      }
      // A short batch means nothing lost is left (as of `now`); a full one may have more behind it.
      if (batch.length < this.batchSize) return swept;
    }
  }

  /** Flags the RUNNING runs past their job's slow threshold, one bounded batch per tick. */
  async flagSlow(now: Date = this.now()): Promise<SlowRun[]> {
    const flagged = await this.sweeps.flagSlowRuns(now, this.batchSize);
    for (const run of flagged) {
      this.logger.info('run flagged slow', { runId: run.runId, jobId: run.jobId });
    }
    return flagged;
  }
}
