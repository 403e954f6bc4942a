import type { IdempotencyRepository } from '../repositories.js';
import type { Logger } from '../logger.js';
import { EXPIRED_BATCH } from './idempotency-service.js';
import type { HealthRecorder } from './health-recorder.js';
import type { Retention } from './retention.js';
import type { RunSweeper } from './run-sweeper.js';

/** Expired idempotency records one tick deletes at most; a larger backlog waits for the next. */
const MAX_EXPIRED_PER_TICK = 50 * EXPIRED_BATCH;

/**
 * One tick of the periodic work, the same on Node's interval (SWEEP_INTERVAL_SECONDS) and on
 * Workers' Cron Trigger: fail the lost runs, record the jobs' health changes (after the sweep, so
 * a run it failed counts), then delete expired Idempotency-Key records and what is past retention
 * (shared/services/retention.ts), each in bounded batches
 * (short write locks). One failing does not keep the other from running; the
 * first error is thrown afterwards, for the caller to log.
 */
export class Maintenance {
  constructor(
    private readonly sweeper: RunSweeper,
    private readonly idempotencyKeys: IdempotencyRepository,
    private readonly logger: Logger,
    private readonly health: HealthRecorder,
    private readonly retention: Retention,
  ) {}

  async tick(now: Date): Promise<void> {
    const failures: unknown[] = [];
    await this.sweeper.sweep(now).catch((error: unknown) => failures.push(error));
    await this.health.record(now).catch((error: unknown) => failures.push(error));
    await this.deleteExpiredKeys(now).catch((error: unknown) => failures.push(error));
    await this.retention.prune(now).catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  }

  private async deleteExpiredKeys(now: Date): Promise<void> {
    let deleted = 0;
    for (;;) {
      const batch = await this.idempotencyKeys.deleteExpired(now, EXPIRED_BATCH);
      deleted += batch;
      if (batch < EXPIRED_BATCH || deleted >= MAX_EXPIRED_PER_TICK) break;
    }
    if (deleted > 0) this.logger.info('expired idempotency keys deleted', { deleted });
  }
}
