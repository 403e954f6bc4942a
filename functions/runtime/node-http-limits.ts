import type { Server, ServerOptions } from 'node:http';
import type { Config } from '../../shared/config.js';

type HttpLimits = Pick<
  Config,
  | 'HTTP_HEADERS_TIMEOUT_SECONDS'
  | 'HTTP_REQUEST_TIMEOUT_SECONDS'
  | 'HTTP_KEEP_ALIVE_TIMEOUT_SECONDS'
  | 'HTTP_MAX_CONNECTIONS'
>;

/**
 * The Node server's options for slow and idle clients (docs/security.md). Node's own defaults
 * let a body trickle in for five minutes and never close a connection that sends nothing.
 */
export function httpServerOptions(limits: HttpLimits): ServerOptions {
  return {
    headersTimeout: limits.HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
    requestTimeout: limits.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
    keepAliveTimeout: limits.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
    // How often Node looks for requests past those timeouts (its default is every 30 s).
    connectionsCheckingInterval: 1000,
  };
}

/**
 * What `createServer` options cannot say: a connection that sends nothing is closed after the
 * headers timeout (the request timeouts start only with a request), and connections are capped.
 */
export function limitConnections(server: Server, limits: HttpLimits): void {
  server.timeout = limits.HTTP_HEADERS_TIMEOUT_SECONDS * 1000;
  server.maxConnections = limits.HTTP_MAX_CONNECTIONS;
}
