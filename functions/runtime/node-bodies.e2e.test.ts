import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { startNodeServer, type NodeServer } from '../../test/support/node-process.js';

interface Sent {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Written as is; with `chunked`, in two writes without a Content-Length. */
  body?: string;
  chunked?: boolean;
}

/**
 * node:http rather than fetch, so each request's framing (Content-Length, Transfer-Encoding,
 * Content-Type) is exactly what the test says.
 */
function send(base: string, sent: Sent): Promise<{ status: number; body: string }> {
  const url = new URL(sent.path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: sent.method,
        headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, ...sent.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    if (sent.body !== undefined && sent.chunked) {
      const half = Math.floor(sent.body.length / 2);
      req.write(sent.body.slice(0, half));
      req.end(sent.body.slice(half));
    } else {
      if (sent.body !== undefined) req.setHeader('Content-Length', Buffer.byteLength(sent.body));
      req.end(sent.body);
    }
  });
}

/**
 * The body checks judge a request by its framing on the Node adapter (so that a body-less write
 * never makes the adapter build a full Request): every framing a client can send, on the real
 * server over a socket, where `app.request` in the other suites cannot reach.
 */
describe('request bodies on the Node adapter, by framing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-bodies-'));
  let server: NodeServer;
  let jobPath: string;
  beforeAll(async () => {
    server = await startNodeServer({
      DATABASE_FILE: join(dir, 'bodies.db'),
      NODE_ENV: 'test',
      ADMIN_API_KEY: TEST_ADMIN_KEY,
    });
    const job = await send(server.baseUrl, {
      method: 'POST',
      path: '/api/jobs',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"framing"}',
    });
    expect(job.status).toBe(201);
    jobPath = `/api/jobs/${JSON.parse(job.body).id}/runs`;
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a POST with neither Content-Length nor Transfer-Encoding has no body: 201 PENDING', async () => {
    const created = await send(server.baseUrl, { method: 'POST', path: jobPath });
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ status: 'PENDING' });
  });

  it('a POST with Content-Length: 0 and no Content-Type has no body: 201', async () => {
    const created = await send(server.baseUrl, {
      method: 'POST',
      path: jobPath,
      headers: { 'Content-Length': '0' },
    });
    expect(created.status).toBe(201);
  });

  it('a body without a Content-Type is 415, by Content-Length or chunked', async () => {
    for (const chunked of [false, true]) {
      const refused = await send(server.baseUrl, {
        method: 'POST',
        path: jobPath,
        body: '{"status":"RUNNING"}',
        chunked,
      });
      expect(refused.status, `chunked: ${chunked}`).toBe(415);
      expect(JSON.parse(refused.body)).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        detail: expect.stringContaining('sent with `Content-Type: application/json`'),
      });
    }
  });

  it('a JSON body is read whole, by Content-Length or chunked', async () => {
    for (const chunked of [false, true]) {
      const created = await send(server.baseUrl, {
        method: 'POST',
        path: jobPath,
        headers: { 'Content-Type': 'application/json' },
        body: '{"status":"RUNNING","metadata":{"framing":"yes"}}',
        chunked,
      });
      expect(created.status, `chunked: ${chunked}`).toBe(201);
      expect(JSON.parse(created.body)).toMatchObject({
        status: 'RUNNING',
        metadata: { framing: 'yes' },
      });
    }
  });

  it('a body over 64 KiB is 413, by Content-Length or chunked, and creates nothing', async () => {
    const before = await send(server.baseUrl, { method: 'GET', path: `${jobPath}?limit=200` });
    const big = JSON.stringify({ metadata: { blob: 'x'.repeat(70 * 1024) } });
    for (const chunked of [false, true]) {
      const refused = await send(server.baseUrl, {
        method: 'POST',
        path: jobPath,
        headers: { 'Content-Type': 'application/json' },
        body: big,
        chunked,
      });
      expect(refused.status, `chunked: ${chunked}`).toBe(413);
    }
    const after = await send(server.baseUrl, { method: 'GET', path: `${jobPath}?limit=200` });
    expect(JSON.parse(after.body).data).toHaveLength(JSON.parse(before.body).data.length);
  });
});
