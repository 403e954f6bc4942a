import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { startNodeServer, type NodeServer } from '../../test/support/node-process.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '../../test/support/otlp-receiver.js';

/**
 * OpenTelemetry on the real Node entry: spans reach an OTLP/HTTP receiver on loopback when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, and nothing is loaded or sent when it is not.
 */

const headers = {
  Authorization: `Bearer ${TEST_ADMIN_KEY}`,
  'Content-Type': 'application/json',
};
// Reports every @opentelemetry module the server loads (one stderr line per package).
const reportImports = `--import=${pathToFileURL(join(import.meta.dirname, '..', '..', 'test', 'support', 'report-otel-imports.mjs')).href}`;
const SERVER_SPAN = 2;
const CLIENT_SPAN = 3;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

async function until<T>(find: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('tracing (functions/runtime/node-tracing.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-tracing-'));
  let receiver: OtlpReceiver | undefined;
  let server: NodeServer | undefined;
  afterEach(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    server = undefined;
    await receiver?.close();
    receiver = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = (env: Record<string, string>) =>
    startNodeServer({
      DATABASE_FILE: join(dir, `${hex(4)}.db`),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      NODE_OPTIONS: reportImports,
      ...env,
    });

  it('exports a server span per request, child of the caller, with a span per database call under it', async () => {
    receiver = await startOtlpReceiver();
    server = await start({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_SERVICE_NAME: 'chronotrack-e2e',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    expect(server.output()).toContain('"tracing":"otlp"');
    const { baseUrl } = server;
    const job = (await (
      await fetch(`${baseUrl}/api/jobs`, { method: 'POST', headers, body: '{"name":"traced"}' })
    ).json()) as { id: number };
    const run = (await (
      await fetch(`${baseUrl}/api/jobs/${job.id}/runs`, { method: 'POST', headers })
    ).json()) as { id: number };

    const traceId = hex(16);
    const callerSpanId = hex(8);
    const response = await fetch(`${baseUrl}/api/runs/${run.id}`, {
      headers: {
        ...headers,
        traceparent: `00-${traceId}-${callerSpanId}-01`,
        'X-Request-Id': 'trace-me-1',
      },
    });
    expect(response.status).toBe(200);
    const missing = await fetch(`${baseUrl}/api/runs/999999`, { headers });
    expect(missing.status).toBe(404);
    const noRoute = await fetch(`${baseUrl}/api/no-such-thing`, { headers });
    expect(noRoute.status).toBe(404);

    const spans = receiver.spans;
    const serverSpan = await until(
      () => spans.find((s) => s.traceId === traceId && s.kind === SERVER_SPAN),
      'the server span',
    );
    expect(serverSpan).toMatchObject({
      name: 'GET /api/runs/{runId}',
      parentSpanId: callerSpanId,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/api/runs/{runId}',
        'http.response.status_code': 200,
        'url.path': `/api/runs/${run.id}`,
        'chronotrack.request_id': 'trace-me-1',
      },
      resource: { 'service.name': 'chronotrack-e2e' },
    });

    const children = (parent: ReceivedSpan) =>
      spans.filter((s) => s.parentSpanId === parent.spanId && s.traceId === parent.traceId);
    const dbSpans = await until(() => {
      const found = children(serverSpan);
      return found.length > 0 ? found : undefined;
    }, 'the database spans');
    expect(dbSpans.map((s) => s.name)).toContain('db.runs.findById');
    for (const span of dbSpans) {
      expect(span.kind).toBe(CLIENT_SPAN);
      expect(span.attributes).toMatchObject({ 'db.system': 'sqlite' });
    }

    // Without a traceparent, each request starts its own trace; a 404 is not the server's error.
    const created = await until(
      () => spans.find((s) => s.name === 'POST /api/jobs/{id}/runs'),
      'the run creation span',
    );
    expect(created.parentSpanId ?? '').toBe('');
    expect(created.attributes['http.response.status_code']).toBe(201);
    expect(
      (
        await until(() => {
          const found = children(created);
          return found.length > 0 ? found : undefined;
        }, 'the run creation database spans')
      ).map((s) => s.name),
    ).toContain('db.runs.createForActiveJob');
    const notFound = await until(
      () =>
        spans.find(
          (s) => s.kind === SERVER_SPAN && s.attributes['url.path'] === '/api/runs/999999',
        ),
      'the 404 span',
    );
    expect(notFound.name).toBe('GET /api/runs/{runId}');
    expect(notFound.attributes['http.response.status_code']).toBe(404);
    expect(notFound.status?.code ?? 0).not.toBe(2);
    // No route matched: the name is the method alone and there is no http.route (never the path).
    const unrouted = await until(
      () =>
        spans.find(
          (s) => s.kind === SERVER_SPAN && s.attributes['url.path'] === '/api/no-such-thing',
        ),
      'the unrouted span',
    );
    expect(unrouted.name).toBe('GET');
    expect(unrouted.attributes['http.route']).toBeUndefined();

    expect(receiver.requests.every((r) => r.method === 'POST' && r.path === '/v1/traces')).toBe(
      true,
    );
    expect(receiver.requests[0]!.contentType).toMatch(/^application\/json/);
    // The hook that shows nothing is loaded when tracing is off does see the SDK when it is on.
    expect(server.output()).toContain('opentelemetry module loaded: @opentelemetry/sdk-trace');
  }, 60_000);

  it('exports the spans still queued when the process shuts down', async () => {
    receiver = await startOtlpReceiver();
    // The default delay (5 s): only the shutdown can have sent this span in time.
    server = await start({ OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.endpoint}/` });
    const traceId = hex(16);
    const response = await fetch(`${server.baseUrl}/api/jobs`, {
      headers: { ...headers, traceparent: `00-${traceId}-${hex(8)}-01` },
    });
    expect(response.status).toBe(200);
    expect(receiver.spans).toEqual([]);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    const span = receiver.spans.find((s) => s.traceId === traceId && s.kind === SERVER_SPAN);
    expect(span?.name).toBe('GET /api/jobs');
  }, 60_000);

  it('logs a warning when the collector refuses the spans', async () => {
    receiver = await startOtlpReceiver();
    // The receiver answers 404 anywhere but /v1/traces: a failure the exporter does not retry.
    server = await start({
      OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.endpoint}/nowhere`,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    expect((await fetch(`${server.baseUrl}/api/jobs`, { headers })).status).toBe(200);
    await until(
      () => (server!.output().includes('"msg":"could not export spans"') ? true : undefined),
      'the warning',
    );
    expect(server.output()).toMatch(
      /"level":"warn".*"droppedSpans":\d+.*"msg":"could not export spans"/,
    );
    expect(receiver.requests[0]?.path).toBe('/nowhere/v1/traces');
  }, 60_000);

  it('with OTEL_EXPORTER_OTLP_ENDPOINT unset: loads no OpenTelemetry SDK and sends nothing', async () => {
    receiver = await startOtlpReceiver();
    server = await start({ OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_BSP_SCHEDULE_DELAY: '10' });
    expect(server.output()).toContain('"tracing":"off"');
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${server.baseUrl}/api/jobs`, {
        headers: { ...headers, traceparent: `00-${hex(16)}-${hex(8)}-01` },
      });
      expect(response.status).toBe(200);
    }
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    // No SDK, exporter, propagator or resource: at most the API facade, which prom-client loads
    // (process metrics) whatever tracing does, and which is a no-op without an SDK.
    const loaded = [...server.output().matchAll(/opentelemetry module loaded: (\S+)/g)].map(
      (m) => m[1],
    );
    expect(loaded.filter((name) => name !== '@opentelemetry/api')).toEqual([]);
    expect(receiver.requests).toEqual([]);
  }, 60_000);
});
