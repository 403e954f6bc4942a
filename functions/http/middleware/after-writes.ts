import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

export interface AfterWritesOptions {
  /**
   * What follows a write that may have queued events or moved a health deadline: the runtime's
   * DispatchTrigger starting a pass (or joining the one in flight, answering null:
   * shared/webhooks/dispatch-trigger.ts) and Node's health timer re-armed.
   */
  afterWrite: () => Promise<void> | null;
  /** Keeps the pass alive after the response (Workers' waitUntil); on Node it just runs. */
  defer?: (c: Parameters<MiddlewareHandler<AppEnv>>[0], work: Promise<unknown>) => void;
}

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Whether a request may have queued webhook events: a write that succeeded under /api (a run's
 * status, a job's health, a test event), or any ping that was answered (GET and HEAD record runs
 * there too). Refused and failed requests wrote nothing, and neither did a CORS preflight.
 */
function mayHaveQueued(method: string, path: string, status: number): boolean {
  if (status >= 400 || method === 'OPTIONS') return false;
  if (path.startsWith('/ping/')) return true;
  return path.startsWith('/api/') && WRITES.has(method);
}

/**
 * After the response to a write, a dispatch pass in the background: the outbox row was committed
 * with the write, so its delivery goes out seconds later instead of on the next tick. The response
 * never waits for it.
 */
export function afterWrites(options: AfterWritesOptions): MiddlewareHandler<AppEnv> {
  return async function afterWritesMiddleware(c, next) {
    await next();
    if (!mayHaveQueued(c.req.method, c.req.path, c.res.status)) return;
    const pass = options.afterWrite();
    if (pass) options.defer?.(c, pass);
  };
}
