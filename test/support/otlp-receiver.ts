import { createServer, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** An OTLP attribute value as the JSON encoding writes it. */
type AnyValue = { stringValue?: string; intValue?: number | string; boolValue?: boolean };

/** One span as received, attributes flattened to plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  status?: { code?: number };
  attributes: Record<string, string | number | boolean | undefined>;
  resource: Record<string, string | number | boolean | undefined>;
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: what OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
  endpoint: string;
  /** Every request received (any path), in order. */
  requests: { method: string; path: string; contentType: string }[];
  spans: ReceivedSpan[];
  close: () => Promise<void>;
}

const flatten = (attributes: { key: string; value: AnyValue }[] = []) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ??
        (value.intValue === undefined ? value.boolValue : Number(value.intValue)),
    ]),
  );

async function body(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

/**
 * A minimal OTLP/HTTP collector on loopback: accepts `POST /v1/traces` with JSON bodies (the
 * encoding @opentelemetry/exporter-trace-otlp-http sends) and keeps the spans; records every
 * request, so a test can also show that nothing was sent.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: OtlpReceiver['requests'] = [];
  const spans: ReceivedSpan[] = [];
  const server = createServer(async (request, response) => {
    const path = request.url ?? '';
    const contentType = request.headers['content-type'] ?? '';
    requests.push({ method: request.method ?? '', path, contentType });
    const raw = await body(request);
    if (request.method !== 'POST' || path !== '/v1/traces') {
      response.writeHead(404).end();
      return;
    }
    if (!contentType.startsWith('application/json')) {
      response.writeHead(415).end();
      return;
    }
    const payload = JSON.parse(raw.toString('utf8')) as {
      resourceSpans?: {
        resource?: { attributes?: { key: string; value: AnyValue }[] };
        scopeSpans?: {
          spans?: (Omit<ReceivedSpan, 'attributes' | 'resource'> & {
            attributes?: { key: string; value: AnyValue }[];
          })[];
        }[];
      }[];
    };
    for (const resourceSpan of payload.resourceSpans ?? []) {
      const resource = flatten(resourceSpan.resource?.attributes);
      for (const scopeSpan of resourceSpan.scopeSpans ?? []) {
        for (const span of scopeSpan.spans ?? []) {
          spans.push({ ...span, attributes: flatten(span.attributes), resource });
        }
      }
    }
    response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    spans,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
