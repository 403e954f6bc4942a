import { setTimeout as sleep } from 'node:timers/promises';
import { CALL_TIMEOUT_MS, isRetryable, type Outcome } from './api.js';

export interface RetryOptions {
  /** Epoch ms after which no new attempt starts (and each attempt's timeout ends by it). */
  deadline: number;
  /** First pause between attempts; doubled each time up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Aborting it ends the waiting: the last outcome is returned at once. */
  signal?: AbortSignal;
}

/**
 * Calls `call` until it succeeds, fails for good (a 4xx that retrying cannot fix), or `deadline`
 * comes. Pauses grow exponentially with jitter, so a hundred cron jobs that lost the same tracker
 * do not all come back at the same instant; a Retry-After from the server is honoured.
 */
export async function withRetry<T>(
  call: (timeoutMs: number) => Promise<Outcome<T>>,
  { deadline, baseDelayMs = 250, maxDelayMs = 5_000, signal }: RetryOptions,
): Promise<Outcome<T>> {
  for (let failures = 0; ; failures++) {
    const remaining = deadline - Date.now();
    const outcome = await call(Math.max(1, Math.min(CALL_TIMEOUT_MS, remaining)));
    if (outcome.ok || !isRetryable(outcome)) return outcome;
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** failures) * (0.5 + Math.random() / 2);
    const delay = Math.max(backoff, outcome.retryAfterMs ?? 0);
    if (signal?.aborted || Date.now() + delay >= deadline) return outcome;
    try {
      await sleep(delay, undefined, { signal });
    } catch {
      return outcome; // aborted while waiting
    }
  }
}
