import { errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';

/** What a trigger runs: one bounded pass that first checks whether anything is due. */
export interface DuePass {
  dispatchIfDue(): Promise<number>;
}

/** Passes one kick runs at most while writes keep asking for more; then the next write starts anew. */
const MAX_PASSES = 5;

/**
 * Delivers webhooks seconds after the write that queued them, instead of on the next tick (the
 * Workers Cron Trigger runs once a minute). At most one pass is in flight per process or isolate:
 * a write during a pass asks for one more pass after it rather than a pass of its own, so a burst
 * of writes costs a few probes, not one per request. Each pass is `dispatchIfDue` (one indexed
 * read; a claim and sends only when something is due) and is bounded by the dispatcher's batch
 * and per-attempt timeout. Failures are logged, never thrown: the caller is a finished request.
 */
export class DispatchTrigger {
  private inFlight: { since: number; done?: Promise<void> } | null = null;
  private again = false;

  constructor(
    private readonly dispatcher: DuePass,
    private readonly logger: Logger,
    /**
     * After this long a pass in flight is taken for lost (Workers cancels a waitUntil 30 s after
     * the response): a new one starts, or no write of this isolate would dispatch again.
     */
    private readonly staleAfterMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Asks for a pass. Answers the promise of the pass it started, for the caller to keep alive
   * (Workers' waitUntil), or null when it joined the pass already in flight.
   */
  kick(): Promise<void> | null {
    const now = this.clock();
    if (this.inFlight && now - this.inFlight.since < this.staleAfterMs) {
      this.again = true;
      return null;
    }
    const pass: { since: number; done?: Promise<void> } = { since: now };
    this.inFlight = pass;
    pass.done = this.run(pass);
    return pass.done;
  }

  /** Resolves once the pass in flight, if any, has ended (Node's shutdown, before closing the database). */
  async idle(): Promise<void> {
    await this.inFlight?.done;
  }

  private async run(pass: { since: number }): Promise<void> {
    try {
      let passes = 0;
      do {
        this.again = false;
        await this.dispatcher.dispatchIfDue();
        passes++;
      } while (this.again && passes < MAX_PASSES);
    } catch (error) {
      this.logger.error('webhook dispatch after a write failed', {
        error: errorMessage(error),
      });
    } finally {
      // In the same step as the last look at `again`: no kick can fall between the two. A stale
      // pass that ends late leaves its successor's mark alone.
      if (this.inFlight === pass) this.inFlight = null;
    }
  }
}
