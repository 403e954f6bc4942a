import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';

export interface SweepLoop {
  /** Cancels the next tick and resolves once a tick under way has ended. */
  stop(): Promise<void>;
}

/**
 * The Node server's sweeps (SWEEP_INTERVAL_SECONDS): `tick` right away, for runs lost while no
 * server was up, then every `intervalMs` after the previous one ended, so a slow sweep delays
 * the next instead of overlapping it. A tick that fails is logged and the loop goes on: a
 * database briefly locked or unreachable must not take the server down. Other processes may
 * sweep the same database at the same time; the sweep's statement makes that safe.
 */
export function startSweeping(
  tick: () => Promise<unknown>,
  intervalMs: number,
  logger: Logger,
  /** The line a failed tick logs (the webhook dispatcher runs on the same loop). */
  failureMessage = 'sweep failed',
): SweepLoop {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const run = async () => {
    try {
      await tick();
    } catch (error) {
      logger.error(failureMessage, {
        error: errorMessage(error),
      });
    }
    if (!stopped) timer = setTimeout(() => (running = run()), intervalMs);
  };
  running = run();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
