import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { onError } from '../problem.js';
import {
  traceRequests,
  type RequestEnd,
  type RequestStart,
  type RequestTracer,
} from './tracing.js';

interface RecordedSpan {
  start: Omit<RequestStart, 'header'> & { traceparent: string | undefined };
  end?: RequestEnd;
  /** Whether the handler ran inside the span (between `run`'s start and end). */
  handlerInside: boolean;
}

/** A tracer that keeps what it was told, in place of the OpenTelemetry one. */
function recordingTracer() {
  const spans: RecordedSpan[] = [];
  let open: RecordedSpan | undefined;
  const tracer: RequestTracer = {
    startRequest: ({ header, ...start }) => {
      const span: RecordedSpan = {
        start: { ...start, traceparent: header('traceparent') },
        handlerInside: false,
      };
      spans.push(span);
      return {
        run: async (next) => {
          open = span;
          try {
            await next();
          } finally {
            open = undefined;
          }
        },
        end: (result) => (span.end = result),
      };
    },
  };
  const markHandler = () => {
    if (open) open.handlerInside = true;
  };
  return { tracer, spans, markHandler };
}

function tracedApp() {
  const { tracer, spans, markHandler } = recordingTracer();
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(traceRequests(tracer));
  app.get('/api/runs/:runId', (c) => {
    markHandler();
    return c.json({ id: c.req.param('runId') });
  });
  app.post('/ping/:uuid/fail', (c) => c.text('OK'));
  app.get('/api/boom', () => {
    throw new Error('boom');
  });
  app.onError(onError);
  return { app, spans };
}

describe('traceRequests', () => {
  it('opens one span per request, ended with the route template and the status', async () => {
    const { app, spans } = tracedApp();
    await app.request('/api/runs/42', {
      headers: {
        'X-Request-Id': 'req-42',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
    });

    expect(spans).toEqual([
      {
        start: {
          method: 'GET',
          path: '/api/runs/42',
          requestId: 'req-42',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        },
        end: { route: '/api/runs/{runId}', status: 200, error: undefined },
        handlerInside: true,
      },
    ]);
  });

  it("keeps a ping URL's secret out of the span", async () => {
    const { app, spans } = tracedApp();
    await app.request('/ping/7c4d2b1e-9f3a-4c5d-8e6f-0a1b2c3d3bbf/fail', { method: 'POST' });

    expect(spans[0]?.start.path).toBe('/ping/[redacted]/fail');
    expect(spans[0]?.end?.route).toBe('/ping/{uuid}/fail');
  });

  it('ends the span with the error a handler threw and the 500 the client got', async () => {
    const { app, spans } = tracedApp();
    const response = await app.request('/api/boom');

    expect(response.status).toBe(500);
    expect(spans[0]?.end).toEqual({
      route: '/api/boom',
      status: 500,
      error: expect.objectContaining({ message: 'boom' }),
    });
  });

  it('names no route when none matched', async () => {
    const { app, spans } = tracedApp();
    await app.request('/nowhere');

    expect(spans[0]?.end).toEqual({ route: undefined, status: 404, error: undefined });
  });
});
