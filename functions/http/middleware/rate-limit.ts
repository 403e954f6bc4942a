import type { Context, MiddlewareHandler } from 'hono';
import type { RateLimitDecision, RateLimiter } from '../../../shared/rate-limit.js';
import type { AppEnv } from '../env.js';
import { problem } from '../problem.js';

export interface RateLimitOptions {
  limiter: RateLimiter;
  /** Never limited (health checks). */
  isExempt: (path: string) => boolean;
  /** The client's address, the bucket for requests without a valid key. */
  clientAddress: (c: Context<AppEnv>) => string;
}

/**
 * draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy` names the quota, `RateLimit` says what
 * is left of it (`r`, when the limiter can tell) and when it is whole again (`t`, seconds).
 */
function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const policy = `"default";q=${decision.limit};w=${decision.windowSeconds}`;
  const remaining = decision.remaining === null ? '' : `;r=${decision.remaining}`;
  return {
    'RateLimit-Policy': policy,
    RateLimit: `"default"${remaining};t=${decision.resetSeconds}`,
  };
}

/**
 * A bucket per API key, or per client address when no valid key is sent; a flood from one key
 * never spends another key's quota. Runs after `authenticate()` and before `requireKey()`, so
 * callers guessing keys are limited by address too.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    if (options.isExempt(c.req.path)) return next();
    const principal = c.get('principal');
    // A stored key has its bucket; so does ADMIN_API_KEY (one key, one quota). Without a valid
    // key, and with AUTH=off (where nobody has one), the client's address is the bucket.
    const bucket =
      principal?.keyId != null
        ? `key:${principal.keyId}`
        : principal?.name === 'ADMIN_API_KEY'
          ? 'admin-api-key'
          : `address:${options.clientAddress(c)}`;
    const decision = await options.limiter.check(bucket);
    const headers = rateLimitHeaders(decision);
    if (!decision.allowed) {
      return problem(c, 'RATE_LIMITED', {
        detail: `Too many requests: at most ${decision.limit} per ${decision.windowSeconds} s for this ${bucket.startsWith('address:') ? 'address' : 'key'}. Retry after ${decision.resetSeconds} s.`,
        headers: { ...headers, 'Retry-After': String(decision.resetSeconds) },
      });
    }
    // Set before the handler, so they are part of the response as it is built (see requestId).
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    return next();
  };
}
