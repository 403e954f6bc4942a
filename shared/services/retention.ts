import type { Logger } from '../logger.js';
import type { RetentionRepository } from '../repositories.js';

export interface RetentionSettings {
  /** RUN_RETENTION_DAYS: a project without its own `retentionDays` follows it; 0 keeps all. */
  runDays: number;
  /** RUN_RETENTION_MIN_RUNS. */
  minRuns: number;
  /** DELIVERY_RETENTION_DAYS: events, deliveries and attempts. */
  deliveryDays: number;
}

/**
 * Rows one statement deletes: small enough that the write lock it holds is never long next to a
 * request's (docs/performance.md#retention measures the longest batch at 1,000,000 runs).
 */
export const RETENTION_BATCH = 100;
/** Batches per tick and kind; a larger backlog (the first tick after retention is set) waits. */
const MAX_BATCHES_PER_TICK = 100;
const DAY_MS = 86_400_000;

/**
 * Part of each sweep tick (shared/services/maintenance.ts), on Node's interval and the Workers
 * Cron Trigger: deletes finished runs past their project's retention, and webhook and channel
 * events past DELIVERY_RETENTION_DAYS with their deliveries log, each in batches of
 * RETENTION_BATCH rows with a turn of the event loop between two, so requests' writes interleave.
 */
export class Retention {
  constructor(
    private readonly store: RetentionRepository,
    private readonly settings: RetentionSettings,
    private readonly logger: Logger,
  ) {}

  async prune(now: Date): Promise<{ runs: number; events: number }> {
    const policy = { defaultDays: this.settings.runDays, minRuns: this.settings.minRuns };
    const runs = await this.batches('runs', () =>
      this.store.deleteExpiredRuns(now, policy, RETENTION_BATCH),
    );
    const before = new Date(now.getTime() - this.settings.deliveryDays * DAY_MS);
    const events = await this.batches('events', () =>
      this.store.deleteEventsBefore(before, RETENTION_BATCH),
    );
    return { runs, events };
  }

  private async batches(what: string, batch: () => Promise<number>): Promise<number> {
    let deleted = 0;
    let longestMs = 0;
    for (let i = 0; i < MAX_BATCHES_PER_TICK; i++) {
      const started = Date.now();
      const count = await batch();
      longestMs = Math.max(longestMs, Date.now() - started);
      deleted += count;
      if (count < RETENTION_BATCH) break;
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    if (deleted > 0)
      this.logger.info(`retention: ${what} deleted`, { deleted, longestBatchMs: longestMs });
    return deleted;
  }
}
