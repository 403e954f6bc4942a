/**
 * Rate limiting: a decision per request, keyed by API key (or client address). The token bucket
 * below runs in one process (Node); Workers use the Rate Limiting binding behind the same shape.
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** Requests allowed per window (the policy's quota). */
  limit: number;
  windowSeconds: number;
  /** Requests left now, when the limiter can tell. */
  remaining: number | null;
  /** Seconds until a request would be allowed (denied) or the quota is whole again (allowed). */
  resetSeconds: number;
}

export interface RateLimiter {
  check(key: string): Promise<RateLimitDecision>;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * A token bucket per key: `perMinute` tokens, refilled continuously, so a burst of a minute's
 * quota is allowed and then one request per 60/perMinute seconds. Buckets that have filled up
 * again are dropped when the map grows, so a flood of distinct keys cannot grow memory for ever.
 */
export class TokenBucketLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => Date.now(),
    private readonly maxBuckets = 100_000,
  ) {
    this.perMs = perMinute / 60_000;
  }

  async check(key: string): Promise<RateLimitDecision> {
    const nowMs = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(
        this.perMinute,
        bucket.tokens + (nowMs - bucket.updatedMs) * this.perMs,
      );
      bucket.updatedMs = nowMs;
    } else {
      if (this.buckets.size >= this.maxBuckets) this.sweep(nowMs);
      bucket = { tokens: this.perMinute, updatedMs: nowMs };
      this.buckets.set(key, bucket);
    }
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    const missing = allowed ? this.perMinute - bucket.tokens : 1 - bucket.tokens;
    return {
      allowed,
      limit: this.perMinute,
      windowSeconds: 60,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.max(allowed ? 0 : 1, Math.ceil(missing / this.perMs / 1000)),
    };
  }

  private sweep(nowMs: number) {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (nowMs - bucket.updatedMs) * this.perMs >= this.perMinute)
        this.buckets.delete(key);
    }
    // Still full of active keys: forget the oldest rather than grow.
    while (this.buckets.size >= this.maxBuckets) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}
