import type { Services } from '../shared/services/index.js';

/** The one Hono environment every sub-app shares: handlers read `c.var.services` and `c.var.requestId`. */
export interface AppEnv {
  Variables: {
    services: Services;
    requestId: string;
  };
}
