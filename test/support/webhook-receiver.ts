import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { WebhookSettings } from '../../shared/webhooks/dispatcher.js';

export interface ReceivedHook {
  /** The request's path: tests that share one receiver give each webhook a path of its own. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedHook[];
  /** Status codes to answer with, in order; 200 once they run out. */
  answers: number[];
  /** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedHook[]>;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on loopback (node:http), recording every request it gets. `GET /received`
 * answers what it recorded as JSON (and is not recorded itself), for tests that run elsewhere
 * than this process: the Workers tests inside workerd.
 */
export async function startReceiver(
  options: {
    /**
     * Checks a request as the real service would (test/support/channel-shapes.ts): a problem
     * is answered 400 with it, as Slack or PagerDuty refuse a malformed payload.
     */
    check?: (hook: ReceivedHook) => string | null;
  } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const answers: number[] = [];
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/received') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(received));
      return;
    }
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const hook = { path: request.url ?? '', headers: request.headers, body };
      received.push(hook);
      const problem = options.check?.(hook) ?? null;
      if (problem !== null) {
        response.writeHead(400, { 'Content-Type': 'text/plain' });
        response.end(problem);
        return;
      }
      const status = answers.shift() ?? 200;
      response.writeHead(status, { 'Content-Type': 'text/plain' });
      response.end(status < 300 ? 'ok' : `failing on purpose ${'x'.repeat(4000)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answers,
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`receiver got ${received.length} requests, expected ${count}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Webhook settings for tests against this receiver: loopback allowed, retries in milliseconds. */
export const FAST_WEBHOOKS: WebhookSettings = {
  allowPrivate: true,
  retryBaseSeconds: 0.05,
  retryForSeconds: 60,
  timeoutSeconds: 2,
};
