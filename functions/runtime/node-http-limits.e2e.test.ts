import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import {
  startNodeServer,
  stopNodeServer,
  type NodeServer,
} from '../../test/support/node-process.js';

/**
 * Slow and idle clients on the real Node entry (functions/runtime/node-http-limits.ts): each is cut off
 * within its limit while other requests go on being answered.
 */
describe('HTTP limits for slow clients (Node)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-limits-'));
  let server: NodeServer;
  let port: number;
  beforeAll(async () => {
    server = await startNodeServer({
      DATABASE_FILE: join(dir, 'limits.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      HTTP_HEADERS_TIMEOUT_SECONDS: '1',
      HTTP_REQUEST_TIMEOUT_SECONDS: '2',
      HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '1',
      HTTP_MAX_CONNECTIONS: '8',
    });
    port = Number(new URL(server.baseUrl).port);
  });
  afterAll(async () => {
    await stopNodeServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  /** A raw connection: what it received, and when it closed (ms after it opened). */
  const open = () => {
    const socket = connect(port, '127.0.0.1');
    const opened = Date.now();
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', () => {});
    const closed = new Promise<number>((resolve) =>
      socket.on('close', () => resolve(Date.now() - opened)),
    );
    return { socket, closed, received: () => received };
  };
  /** Writes `text` a byte every `ms` until the socket closes. */
  const trickle = (socket: Socket, text: string, ms: number) => {
    let i = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || i >= text.length) return clearInterval(timer);
      socket.write(text[i++]!);
    }, ms);
    socket.on('close', () => clearInterval(timer));
  };
  const healthy = async () => (await fetch(`${server.baseUrl}/health`)).status;

  it('answers 408 and closes a body sent a byte at a time, past the request timeout, while serving others', async () => {
    const slow = open();
    slow.socket.write(
      'POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${TEST_ADMIN_KEY}\r\nContent-Length: 200\r\n\r\n`,
    );
    trickle(slow.socket, '{"name":"' + 'x'.repeat(180) + '"}', 100);
    await new Promise((r) => setTimeout(r, 500));
    expect(await healthy()).toBe(200);
    const closedAfter = await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfter).toBeGreaterThanOrEqual(1_900);
    expect(closedAfter).toBeLessThan(5_000);
  });

  it('answers 408 and closes headers sent a line at a time past the headers timeout', async () => {
    const slow = open();
    slow.socket.write('GET /api/jobs HTTP/1.1\r\nHost: x\r\n');
    trickle(slow.socket, 'X-Slow: 1\r\n'.repeat(50), 40);
    const closedAfter = await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfter).toBeLessThan(4_000);
  });

  it('closes connections that send nothing, and refuses connections over the cap until they go', async () => {
    const idle = Array.from({ length: 8 }, open);
    await new Promise((r) => setTimeout(r, 200));
    // Over the cap: the server closes the new connection at once, unanswered.
    await expect(fetch(`${server.baseUrl}/health`)).rejects.toThrow();
    const closedAfter = await Promise.all(idle.map((c) => c.closed));
    for (const ms of closedAfter) expect(ms).toBeLessThan(4_000);
    for (const c of idle) expect(c.received()).toBe('');
    expect(await healthy()).toBe(200);
  });
});
