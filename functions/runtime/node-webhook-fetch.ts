import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import type { WebhookFetch } from '../../shared/webhooks/dispatcher.js';
import type { Resolver } from '../../shared/webhooks/url-guard.js';
import { nodeWebhookResolver } from './node-webhook-resolver.js';

export interface NodeWebhookFetchOptions {
  /** Resolves a name the guard did not resolve (WEBHOOK_ALLOW_PRIVATE=true); node:dns by default. */
  resolve?: Resolver;
  /** Certificates to trust besides the system's (a test's self-signed receiver). */
  ca?: string;
}

/** Statuses whose Response may not carry a body. */
const NULL_BODY = new Set([204, 205, 304]);

/**
 * Answers the socket's lookup with `addresses` alone: the connection goes to an address that was
 * checked, never to what a second DNS query would say. With autoSelectFamily (Node's default)
 * the socket asks for all of them and tries them in turn.
 */
function lookupOnly(addresses: string[]): LookupFunction {
  return (hostname, options, callback) => {
    const entries = addresses
      .map((address) => ({ address, family: isIP(address) }))
      .filter((entry) => !options.family || entry.family === options.family);
    if (entries.length === 0) {
      const error: NodeJS.ErrnoException = new Error(`no checked address for ${hostname}`);
      error.code = 'ENOTFOUND';
      callback(error, '', 0);
    } else if (options.all) callback(null, entries);
    else callback(null, entries[0]!.address, entries[0]!.family);
  };
}

/** The resolver's answer for `hostname`, then only those addresses (as lookupOnly). */
function lookupVia(resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => lookupOnly(addresses)(hostname, options, callback),
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

function toResponse(message: IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value])
      headers.append(name, item);
  }
  const status = message.statusCode ?? 0;
  if (NULL_BODY.has(status)) {
    message.resume();
    return new Response(null, { status, headers });
  }
  // Read only as far as the dispatcher reads (1 KB); cancelling the web stream destroys this one.
  return new Response(Readable.toWeb(message) as ReadableStream<Uint8Array>, { status, headers });
}

/**
 * Node's webhook transport: node:http(s) instead of the global fetch, so the connection goes to
 * the addresses the SSRF guard checked (`pinned`), closing the DNS rebinding window between the
 * check and the request. The URL's name stays the Host header and the TLS server name (SNI and
 * certificate check). Like the dispatcher's fetch: no redirect is followed (node:http never
 * does), the attempt's signal bounds it whole, one fresh connection per attempt (no pooled
 * socket to an address checked earlier).
 */
export function createNodeWebhookFetch(options: NodeWebhookFetchOptions = {}): WebhookFetch {
  const resolve = options.resolve ?? nodeWebhookResolver;
  return (url, init, pinned) =>
    new Promise<Response>((settle, fail) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return fail(signal.reason);
      let response: IncomingMessage | undefined;
      const request = send(
        target,
        {
          method: init.method ?? 'GET',
          headers: Object.fromEntries(new Headers(init.headers).entries()),
          // A literal address needs no lookup; a name goes to the checked addresses, or (nothing
          // was checked: WEBHOOK_ALLOW_PRIVATE) to the resolver's, looked up once.
          lookup: pinned ? lookupOnly(pinned) : lookupVia(resolve),
          agent: false,
          ...(options.ca && { ca: options.ca }),
        },
        (message) => {
          response = message;
          try {
            settle(toResponse(message));
          } catch (error) {
            message.destroy();
            fail(error);
          }
        },
      );
      // The signal's reason (a TimeoutError) is what the dispatcher names; it ends the body too.
      const abort = () => {
        request.destroy(signal!.reason as Error);
        response?.destroy(signal!.reason as Error);
      };
      signal?.addEventListener('abort', abort, { once: true });
      request.on('close', () => {
        if (!response) signal?.removeEventListener('abort', abort);
      });
      // The body is read after settle: the signal goes on bounding it until it ends.
      request.on('response', (message: IncomingMessage) =>
        message.on('close', () => signal?.removeEventListener('abort', abort)),
      );
      request.on('error', fail);
      request.end(typeof init.body === 'string' ? init.body : undefined);
    });
}

/** The transport functions/runtime/node.ts hands the dispatcher. */
export const nodeWebhookFetch = createNodeWebhookFetch();
