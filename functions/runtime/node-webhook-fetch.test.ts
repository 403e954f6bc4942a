import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { createJsonLogger } from '../../shared/logger.js';
import type { WebhookSettings } from '../../shared/webhooks/dispatcher.js';
import type { Resolver } from '../../shared/webhooks/url-guard.js';
import { createNodeWebhookFetch } from './node-webhook-fetch.js';
import { appOver, requestTarget } from '../../test/support/apps.js';
import { client } from '../../test/support/client.js';
import { startReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';

const logger = createJsonLogger({ silent: true });
const post = (body = '{}') => ({
  method: 'POST',
  body,
  headers: { 'Content-Type': 'application/json' },
  signal: AbortSignal.timeout(2000),
});
const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** A resolver whose first answer is `first` and every later one `then`, counting its calls. */
function rebinding(first: string, then: string, firstLookups = 1): Resolver & { calls: string[] } {
  const calls: string[] = [];
  return Object.assign(
    async (hostname: string) => {
      calls.push(hostname);
      return [calls.length <= firstLookups ? first : then];
    },
    { calls },
  );
}

describe('Node webhook transport (node:http with the checked addresses)', () => {
  let receiver: WebhookReceiver;
  let port: number;
  beforeAll(async () => {
    receiver = await startReceiver();
    port = Number(new URL(receiver.url).port);
  });
  afterAll(() => receiver.close());

  it('connects to the pinned address and keeps the name as Host', async () => {
    const send = createNodeWebhookFetch({
      resolve: () => Promise.reject(new Error('no lookup expected')),
    });
    const response = await send(`http://pinned.test:${port}/hook`, post('{"a":1}'), ['127.0.0.1']);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    const [got] = receiver.received.splice(0);
    expect(got).toMatchObject({ path: '/hook', body: '{"a":1}' });
    expect(got!.headers.host).toBe(`pinned.test:${port}`);
  });

  it('looks a name up once through the resolver when nothing was pinned', async () => {
    const resolve = rebinding('127.0.0.1', '10.0.0.1');
    const send = createNodeWebhookFetch({ resolve });
    expect((await send(`http://unpinned.test:${port}/hook`, post(), null)).status).toBe(200);
    expect(resolve.calls).toEqual(['unpinned.test']);
    receiver.received.length = 0;
  });

  it('follows no redirect and answers 204 without a body', async () => {
    const send = createNodeWebhookFetch();
    receiver.answers.push(302, 204);
    expect((await send(receiver.url, post(), null)).status).toBe(302);
    const empty = await send(receiver.url, post(), null);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    expect(receiver.received.splice(0)).toHaveLength(2);
  });

  it("ends with the signal's TimeoutError, before or after the headers", async () => {
    const silent = createHttpServer(() => {}); // never answers
    const slowBody = createHttpServer((_, res) => res.writeHead(200).write('partial'));
    const [silentPort, slowPort] = [await listen(silent), await listen(slowBody)];
    try {
      const send = createNodeWebhookFetch();
      const init = { ...post(), signal: AbortSignal.timeout(300) };
      await expect(send(`http://127.0.0.1:${silentPort}/`, init, null)).rejects.toMatchObject({
        name: 'TimeoutError',
      });
      const started = await send(
        `http://127.0.0.1:${slowPort}/`,
        {
          ...post(),
          signal: AbortSignal.timeout(300),
        },
        null,
      );
      expect(started.status).toBe(200);
      await expect(started.text()).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      await Promise.all([close(silent), close(slowBody)]);
    }
  });

  describe('https to a self-signed receiver', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chronotrack-tls-'));
    let server: Server;
    let tlsPort: number;
    let cert: string;
    const servernames: (string | false | null)[] = [];
    beforeAll(async () => {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=hooks.pinned.test',
          '-addext',
          'subjectAltName=DNS:hooks.pinned.test',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
      server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
        servernames.push((req.socket as TLSSocket).servername);
        res.writeHead(200).end('tls ok');
      });
      tlsPort = await listen(server);
    });
    afterAll(async () => {
      await close(server);
      rmSync(dir, { recursive: true, force: true });
    });

    it('sends the name as SNI and checks the certificate against it, connected to the pinned address', async () => {
      const send = createNodeWebhookFetch({ ca: cert });
      const url = `https://hooks.pinned.test:${tlsPort}/hook`;
      const response = await send(url, post(), ['127.0.0.1']);
      expect(await response.text()).toBe('tls ok');
      expect(servernames).toEqual(['hooks.pinned.test']);
      // A certificate the system does not trust is refused, as any fetch would.
      await expect(createNodeWebhookFetch()(url, post(), ['127.0.0.1'])).rejects.toThrow(
        /self-signed|self signed/,
      );
      // And one for another name: the check is against the URL's name, not the address.
      await expect(
        send(`https://other.pinned.test:${tlsPort}/hook`, post(), ['127.0.0.1']),
      ).rejects.toThrow(/altnames|does not match/i);
    });
  });
});

describe('DNS rebinding: the dispatcher connects to the address it checked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-rebinding-'));
  const database = openBetterSqlite(join(dir, 'hooks.db'));
  let receiver: WebhookReceiver;
  let port: number;
  const guarded: WebhookSettings = {
    allowPrivate: false,
    retryBaseSeconds: 3600,
    retryForSeconds: 86_400,
    timeoutSeconds: 1,
  };
  beforeAll(async () => {
    receiver = await startReceiver();
    port = Number(new URL(receiver.url).port);
  });
  afterAll(async () => {
    await receiver.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An app whose webhooks resolve through `resolve` and are sent by `webhookFetch`. */
  function apiWith(resolve: Resolver, webhookFetch = createNodeWebhookFetch({ resolve })) {
    return client(
      requestTarget(
        appOver(database, logger, {
          webhookSettings: guarded,
          webhookResolver: resolve,
          webhookFetch,
        }),
      ),
    );
  }

  /** Creates a webhook on `url` and sends its test event (POST /test): its first attempt. */
  async function testSend(api: ReturnType<typeof apiWith>, url: string) {
    const hook = await api.post('/api/webhooks', { url, events: ['run.failed'] });
    expect(hook.status, hook.text).toBe(201);
    const sent = await api.post(`/api/webhooks/${hook.body.id}/test`);
    expect(sent.status).toBe(200);
    return sent.body as { status: string; log: { error: string | null }[] };
  }

  it('a name public at the check and loopback on a second lookup never reaches loopback', async () => {
    // Public when the webhook is created and when the delivery is checked, loopback after.
    const resolve = rebinding('93.184.215.14', '127.0.0.1', 2);
    // The transport is handed the checked addresses (the test above shows it connects to exactly
    // those); it stops here, so nothing is sent to the public address from this machine.
    const handed: (string[] | null)[] = [];
    const delivery = await testSend(
      apiWith(resolve, async (_url, _init, addresses) => {
        handed.push(addresses);
        throw new Error(`not sent: a test stops before connecting to ${addresses?.join(', ')}`);
      }),
      `http://rebind.test:${port}/hook`,
    );
    // Checked at creation and before the attempt, never looked up again to connect.
    expect(resolve.calls).toEqual(['rebind.test', 'rebind.test']);
    expect(handed).toEqual([['93.184.215.14']]);
    expect(delivery.status).toBe('pending');
    expect(delivery.log[0]!.error).toMatch(/93\.184\.215\.14/);
    expect(receiver.received).toEqual([]);
  });

  it('the same resolver reaches loopback through a transport that looks up again (what pinning prevents)', async () => {
    const resolve = rebinding('93.184.215.14', '127.0.0.1', 2);
    const pinned = createNodeWebhookFetch({ resolve });
    const delivery = await testSend(
      apiWith(resolve, (url, init) => pinned(url, init, null)),
      `http://rebind-unpinned.test:${port}/hook`,
    );
    expect(resolve.calls).toEqual([
      'rebind-unpinned.test',
      'rebind-unpinned.test',
      'rebind-unpinned.test',
    ]);
    expect(delivery.status).toBe('succeeded');
    expect(receiver.received.splice(0)).toHaveLength(1);
  });

  it('delivers to loopback with WEBHOOK_ALLOW_PRIVATE=true, by name and by address', async () => {
    const open = client(
      requestTarget(
        appOver(database, logger, {
          webhookSettings: { ...guarded, allowPrivate: true },
          webhookFetch: createNodeWebhookFetch(),
        }),
      ),
    );
    for (const url of [receiver.url, `http://localhost:${port}/hook`]) {
      const delivery = await testSend(open, url);
      expect(delivery.status, JSON.stringify(delivery)).toBe('succeeded');
    }
    expect(receiver.received.splice(0)).toHaveLength(2);
  });
});
