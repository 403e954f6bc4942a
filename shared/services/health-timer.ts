import { errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { HealthDeadlineListener, HealthRecorder } from './health-recorder.js';

/**
 * How far before the last pass or probe a write's probe looks for written jobs: a write stamped
 * (with its service's clock) just before one but committed after it read is still seen.
 */
const WRITTEN_SLACK_MS = 15_000;
/**
 * The least time between two passes the timer starts: deadlines a moment apart share a pass, and
 * a pass reads every scheduled job (docs/alerts.md#health-on-time), so this bounds its cost.
 */
const MIN_PASS_SPACING_MS = 500;
/** setTimeout's longest delay; a deadline further away is waited for in steps. */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * Records health on time on Node: a timer for the earliest pending health deadline (a job's late
 * or down time), so `late` and `down` are recorded, and their webhooks queued, when they happen
 * rather than on the next sweep (SWEEP_INTERVAL_SECONDS, then only a backstop).
 *
 * Every health pass (the sweep's, or this timer's) tells it the earliest deadline among all the
 * jobs it read (`planned`), which replaces the one it waited for. A write can move a deadline
 * earlier (a job created, a schedule or grace changed, a job unarchived): after each write in
 * this process (`written`) it reads the jobs written since shortly before the last pass or probe,
 * one indexed read, and waits for the earliest of theirs if sooner. (Another process's writes
 * are its own timer's, or this one's next pass's.) A run only moves its job's deadline later: the
 * timer may then fire early, and that pass plans the next one. At most one pass and one probe
 * run at a time; a write during a probe asks for one more after it.
 */
export class HealthTimer implements HealthDeadlineListener {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waitingFor: number | null = null;
  /** Writes stamped before this (less the slack) were seen by a pass or a probe. */
  private seenUpTo: number | null = null;
  private passEndedAt = 0;
  private passing: Promise<void> = Promise.resolve();
  private probing: Promise<void> | null = null;
  private probeAgain = false;
  private stopped = false;

  constructor(
    private readonly recorder: Pick<HealthRecorder, 'record' | 'nextDeadlineOfWritten'>,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The deadline the timer waits for (tests and logs); null: none. */
  get nextDeadline(): Date | null {
    return this.waitingFor === null ? null : new Date(this.waitingFor);
  }

  planned(earliest: Date | null, passAt: Date): void {
    if (this.stopped) return;
    this.seenUpTo = Math.max(this.seenUpTo ?? 0, passAt.getTime());
    this.waitFor(earliest);
    // A write during the pass may have been read before it changed: look once more.
    void this.written();
  }

  /** After a write that may have moved a deadline: resolves once its probe has armed the timer. */
  written(): Promise<void> {
    if (this.stopped || this.seenUpTo === null) return Promise.resolve();
    if (this.probing) {
      this.probeAgain = true;
      return this.probing;
    }
    const probe = this.probe().finally(() => {
      if (this.probing === probe) this.probing = null;
    });
    this.probing = probe;
    return probe;
  }

  /** Resolves once the pass and the probe under way, if any, have ended. */
  async idle(): Promise<void> {
    await Promise.all([this.passing, this.probing]);
  }

  /** Cancels the timer and resolves once a pass or probe under way has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel();
    await this.idle();
  }

  private async probe(): Promise<void> {
    try {
      do {
        this.probeAgain = false;
        const now = this.now();
        const since = new Date(this.seenUpTo! - WRITTEN_SLACK_MS);
        const due = await this.recorder.nextDeadlineOfWritten(since, now);
        if (due && (this.waitingFor === null || due.getTime() < this.waitingFor)) {
          this.waitFor(due);
        }
        this.seenUpTo = Math.max(this.seenUpTo!, now.getTime());
      } while (this.probeAgain && !this.stopped);
    } catch (error) {
      this.logger.error('health deadline probe failed', { error: errorMessage(error) });
    }
  }

  private waitFor(at: Date | null): void {
    this.cancel();
    this.waitingFor = at === null ? null : at.getTime();
    if (at === null || this.stopped) return;
    const earliestStart = this.passEndedAt + MIN_PASS_SPACING_MS;
    const start = Math.max(at.getTime(), earliestStart);
    const delay = Math.min(Math.max(0, start - this.now().getTime()), MAX_DELAY_MS);
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    if (this.waitingFor !== null && this.now().getTime() < this.waitingFor) {
      // A clock that differs from the timer's by a millisecond, or a far deadline's step.
      this.waitFor(new Date(this.waitingFor));
      return;
    }
    this.waitingFor = null;
    this.passing = this.passing.then(async () => {
      try {
        // The pass calls `planned`, which arms the timer for the next deadline.
        await this.recorder.record(this.now());
      } catch (error) {
        // The sweep's next tick (the backstop) plans again.
        this.logger.error('health pass failed', { error: errorMessage(error) });
      } finally {
        this.passEndedAt = this.now().getTime();
      }
    });
  }
}
