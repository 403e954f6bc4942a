/**
 * `cloudflare:sockets` for the Node type check (tsconfig.json), which reads the Workers types as
 * a module (`@cloudflare/workers-types`, where this module is not declared) beside Node's
 * globals. tsconfig.workers.json checks functions/runtime/worker-mailer.ts against the real
 * declaration of the Workers globals instead.
 */
declare module 'cloudflare:sockets' {
  import type { SmtpSocket } from './smtp-client.js';
  // The client's view of a socket: the Workers stream types do not mix with Node's here.
  export function connect(
    address: { hostname: string; port: number },
    options: { secureTransport: 'on' | 'starttls'; allowHalfOpen: boolean },
  ): SmtpSocket;
}
