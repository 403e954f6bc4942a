import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
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
 *
 * Silence is the client's fault only when the server is not still working on its answer: a
 * request whose response has not started (GET /api/admin/backup copies and checks the whole
 * database first, 20 s for 300 MB) keeps its connection. Once the response has started, silence
 * means a client that does not read, and the connection is closed as before.
 */
export function limitConnections(server: Server, limits: HttpLimits): void {
  server.timeout = limits.HTTP_HEADERS_TIMEOUT_SECONDS * 1000;
  server.maxConnections = limits.HTTP_MAX_CONNECTIONS;
  const answering = new WeakMap<Socket, ServerResponse>();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    answering.set(request.socket, response);
    response.once('close', () => answering.delete(request.socket));
  });
  // With a listener, Node leaves the socket to it rather than destroying it.
  server.on('timeout', (socket: Socket) => {
    const response = answering.get(socket);
    if (response && !response.headersSent) return;
    socket.destroy();
  });
}
