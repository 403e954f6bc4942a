import type { Principal } from '../../shared/access.js';
import type { IdempotencyClaim } from '../../shared/idempotency.js';
import type { Services } from '../../shared/services/index.js';

/**
 * The one Hono environment every sub-app shares: handlers read `c.get('services')`,
 * `c.get('requestId')` and `c.get('principal')` (set by authentication on every /api route that is not
 * public).
 */
export interface AppEnv {
  Variables: {
    services: Services;
    requestId: string;
    principal: Principal;
    /** The presented key is known but expired then: the 401 says so (middleware/auth.ts). */
    keyExpiredAt?: Date;
    /** Set on a route that takes `Idempotency-Key` when the request sent one and reserved it. */
    idempotency?: IdempotencyClaim;
  };
}
