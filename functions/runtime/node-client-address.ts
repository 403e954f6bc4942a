import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import { forwardedClientAddress, type TrustedProxies } from '../../shared/trusted-proxies.js';

/**
 * The caller's address on Node (the rate limit's bucket without a key): the socket's peer, or,
 * when the peer is one of TRUSTED_PROXIES, the client its X-Forwarded-For or Forwarded header
 * names (shared/trusted-proxies.ts).
 */
export function nodeClientAddress(trusted: TrustedProxies): (c: Context<AppEnv>) => string {
  return function clientAddress(c) {
    return forwardedClientAddress(
      {
        peer: getConnInfo(c).remote.address,
        forwardedFor: c.req.header('x-forwarded-for'),
        forwarded: c.req.header('forwarded'),
      },
      trusted,
    );
  };
}
