import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../db/better-sqlite3.js';
import { appOver, TEST_ADMIN_KEY } from '../../test/support/apps.js';
import type { AppEnv } from '../http/env.js';
import { nodeDatabaseBackup } from './node-backup.js';
import { compression, selectCoding } from './node-compression.js';

const decode = (coding: string | null, bytes: Buffer) =>
  coding === 'br' ? brotliDecompressSync(bytes) : coding === 'gzip' ? gunzipSync(bytes) : bytes;

describe('compression on Node (functions/runtime/node-compression.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-compression-'));
  const file = join(dir, 'chronotrack.db');
  const database = openBetterSqlite(file);
  // One clock for both, so their answers (the summaries' window) are the same bytes.
  const now = () => new Date('2026-12-01T00:00:00.000Z');
  const compressed = appOver(database, undefined, {
    now,
    compression: compression(),
    backup: nodeDatabaseBackup(file),
  });
  const plain = appOver(database, undefined, { now });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const get = (app: typeof plain, path: string, encoding?: string, method = 'GET') =>
    app.request(path, {
      method,
      headers: {
        Authorization: `Bearer ${TEST_ADMIN_KEY}`,
        ...(encoding !== undefined && { 'Accept-Encoding': encoding }),
      },
    });

  it('answers a large page in br or gzip, as accepted, the same bytes once decoded', async () => {
    for (let i = 0; i < 30; i++) {
      const job = await plain.request('/api/jobs', {
        method: 'POST',
        headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: `job "${i}" ✓` }),
      });
      expect(job.status).toBe(201);
    }
    const path = '/api/jobs/summaries?limit=100';
    const identity = Buffer.from(await (await get(plain, path)).arrayBuffer());
    expect(identity.length).toBeGreaterThan(4096);
    for (const [accept, coding] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0.5, gzip', 'gzip'],
      ['*', 'br'],
    ] as const) {
      const res = await get(compressed, path, accept);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Encoding'), accept).toBe(coding);
      expect(res.headers.get('Vary')).toBe('Accept-Encoding');
      expect(res.headers.get('Content-Type')).toBe('application/json');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(Number(res.headers.get('Content-Length'))).toBe(bytes.length);
      expect(bytes.length).toBeLessThan(identity.length / 3);
      expect(decode(coding, bytes).equals(identity)).toBe(true);
      // The other headers are the uncompressed answer's.
      expect(res.headers.get('X-Request-Id')).toBeTruthy();
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    }
    for (const accept of [undefined, '', 'identity', 'gzip;q=0, br;q=0', 'deflate']) {
      const res = await get(compressed, path, accept);
      expect(res.headers.get('Content-Encoding'), accept).toBeNull();
      expect(res.headers.get('Vary')).toBe('Accept-Encoding');
      expect(Buffer.from(await res.arrayBuffer()).equals(identity)).toBe(true);
    }
  });

  it('leaves small answers as they are, without Vary', async () => {
    for (const path of ['/health', '/api/jobs/999999', '/api/me']) {
      const res = await get(compressed, path, 'gzip, br');
      const expected = await get(plain, path, 'gzip, br');
      expect(res.status).toBe(expected.status);
      expect(res.headers.get('Content-Encoding'), path).toBeNull();
      expect(res.headers.get('Vary')).toBeNull();
      expect(res.headers.get('Content-Type')).toBe(expected.headers.get('Content-Type'));
      expect((await res.text()).length).toBe((await expected.text()).length);
    }
  });

  it('never touches the backup download, a stream of the database file', async () => {
    const res = await get(compressed, '/api/admin/backup', 'gzip, br');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Encoding')).toBeNull();
    expect(res.headers.get('Vary')).toBeNull();
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('Content-Length'))).toBe(bytes.length);
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
  });

  it("gives a HEAD its GET's headers without compressing a body", async () => {
    const res = await get(compressed, '/api/jobs/summaries?limit=100', 'gzip', 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Encoding')).toBe('gzip');
    expect(res.headers.get('Vary')).toBe('Accept-Encoding');
    expect(res.headers.get('Content-Length')).toBeNull();
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });
});

describe('compression, header by header', () => {
  const big = JSON.stringify({ data: Array.from({ length: 200 }, (_, i) => ({ id: i })) });
  const app = new Hono<AppEnv>();
  app.use('*', compression());
  app.get('/etag', (c) =>
    c.body(big, 200, { 'Content-Type': 'application/json', ETag: '"v1"', Vary: 'Origin' }),
  );
  app.get('/weak', (c) => c.body(big, 200, { 'Content-Type': 'application/json', ETag: 'W/"v1"' }));
  app.get('/not-modified', (c) => c.body(null, 304, { ETag: '"v1"' }));
  app.get('/no-transform', (c) =>
    c.body(big, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-transform' }),
  );
  app.get('/encoded', (c) =>
    c.body(big, 200, { 'Content-Type': 'application/json', 'Content-Encoding': 'identity' }),
  );
  app.get('/events', (c) => c.body(big, 200, { 'Content-Type': 'text/event-stream' }));
  app.get('/image', (c) => c.body(big, 200, { 'Content-Type': 'image/png' }));
  const get = (path: string) => app.request(path, { headers: { 'Accept-Encoding': 'gzip' } });

  it('makes a strong ETag weak once compressed and adds to Vary', async () => {
    const res = await get('/etag');
    expect(res.headers.get('Content-Encoding')).toBe('gzip');
    expect(res.headers.get('ETag')).toBe('W/"v1"');
    expect(res.headers.get('Vary')).toBe('Origin, Accept-Encoding');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(big);
    expect((await get('/weak')).headers.get('ETag')).toBe('W/"v1"');
  });

  it("never reads the body of an answer it will not compress (the Node adapter's fast path)", async () => {
    // Reading `body` turns @hono/node-server's light answer into a web Response written through a
    // stream: that cost a third of a 50-run page's rate for clients that accept no coding.
    let reads = 0;
    class Watched extends Response {
      override get body() {
        reads++;
        return super.body;
      }
    }
    const watched = new Hono<AppEnv>();
    watched.use('*', compression());
    watched.get('/', () => new Watched(big, { headers: { 'Content-Type': 'application/json' } }));
    const plain = await watched.request('/');
    expect(plain.headers.get('Vary')).toBe('Accept-Encoding');
    expect(plain.headers.get('Content-Encoding')).toBeNull();
    expect(reads).toBe(0);
    expect(await plain.text()).toBe(big);
    const gzipped = await watched.request('/', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString()).toBe(big);
  });

  it('says Vary: Accept-Encoding on a 304', async () => {
    const res = await get('/not-modified');
    expect(res.status).toBe(304);
    expect(res.headers.get('Vary')).toBe('Accept-Encoding');
    expect(res.headers.get('Content-Encoding')).toBeNull();
  });

  it('leaves no-transform, encoded, event streams and binary types alone', async () => {
    for (const path of ['/no-transform', '/encoded', '/events', '/image']) {
      const res = await get(path);
      expect(res.headers.get('Content-Encoding'), path).not.toBe('gzip');
      expect(await res.text()).toBe(big);
    }
  });
});

describe('selectCoding', () => {
  it("takes the client's highest q, brotli on a tie, and nothing refused", () => {
    expect(selectCoding(undefined)).toBeNull();
    expect(selectCoding('')).toBeNull();
    expect(selectCoding('identity')).toBeNull();
    expect(selectCoding('deflate, zstd')).toBeNull();
    expect(selectCoding('gzip')).toBe('gzip');
    expect(selectCoding('BR')).toBe('br');
    expect(selectCoding('gzip, deflate, br, zstd')).toBe('br');
    expect(selectCoding('br;q=0.2, gzip;q=0.8')).toBe('gzip');
    expect(selectCoding('br;q=0, *')).toBe('gzip');
    expect(selectCoding('*;q=0')).toBeNull();
    expect(selectCoding('gzip;q=0, br;q=0')).toBeNull();
  });
});
