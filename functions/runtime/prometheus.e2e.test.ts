import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '../../test/support/exposition.js';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { startNodeServer, type NodeServer } from '../../test/support/node-process.js';
import {
  PROMETHEUS,
  PROMTOOL,
  requireBinary,
  startPrometheus,
  type PrometheusOnLoopback,
} from '../../test/support/prometheus.js';

/**
 * The Node server scraped by a real Prometheus on loopback, with a read key from a credentials
 * file as docs/observability.md configures it; the series are read back through Prometheus'
 * HTTP API, and promtool lints the exposition.
 */
describe('a real Prometheus scrapes GET /metrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-prometheus-'));
  let server: NodeServer;
  let prometheus: PrometheusOnLoopback | undefined;
  let readKey: string;
  let jobId: number;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return (await res.json()) as any;
  };

  const query = async (promql: string) => {
    const body = await prometheus!.query(promql);
    expect(body.status, promql).toBe('success');
    return body.data.result;
  };

  beforeAll(async () => {
    requireBinary(PROMETHEUS);
    requireBinary(PROMTOOL);
    server = await startNodeServer({
      DATABASE_FILE: join(dir, 'chronotrack.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
    });
    readKey = (await api('POST', '/api/keys', { name: 'prometheus', scope: 'read' })).key;
    jobId = (await api('POST', '/api/jobs', { name: 'nightly backup' })).id;
    for (const status of ['SUCCESS', 'SUCCESS', 'FAILED']) {
      const run = await api('POST', `/api/jobs/${jobId}/runs`, { status: 'RUNNING' });
      await api('PATCH', `/api/runs/${run.id}`, {
        status,
        ...(status === 'FAILED' ? { errorMessage: 'exit 2' } : {}),
      });
    }
    await api('POST', `/api/jobs/${jobId}/runs`, { status: 'RUNNING' });

    const keyFile = join(dir, 'read-key');
    writeFileSync(keyFile, readKey, { mode: 0o600 });
    prometheus = await startPrometheus({ dir, target: new URL(server.baseUrl).host, keyFile });

    // Up once Prometheus has scraped the target with the key at least once.
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (prometheus.exited()) throw new Error(`prometheus exited:\n${prometheus.output()}`);
      try {
        const up = await query('up{job="chronotrack"}');
        if (up[0]?.value[1] === '1' && (await query('chronotrack_runs_created_total')).length > 0)
          break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`the target never came up:\n${prometheus.output()}\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('promtool check metrics accepts the exposition', async () => {
    const res = await fetch(`${server.baseUrl}/metrics`, {
      headers: { Authorization: `Bearer ${readKey}` },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const lint = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${lint.stdout}${lint.stderr}`, 'promtool check metrics').toBe('');
    expect(lint.status).toBe(0);
    const samples = parseExposition(text);
    expect(sampleValue(samples, 'chronotrack_runs_created_total', { job_id: String(jobId) })).toBe(
      4,
    );
    // Node's own metrics ride along: prom-client's defaults and the request histogram.
    expect(samples.some((s) => s.name === 'process_cpu_seconds_total')).toBe(true);
    expect(samples.some((s) => s.name === 'nodejs_heap_size_used_bytes')).toBe(true);
  });

  it('ingests the job metrics with their labels, the values the API was told', async () => {
    const selector = `{job="chronotrack",job_id="${jobId}"}`;
    const value = async (promql: string) => Number((await query(promql))[0]?.value[1]);
    expect(await value(`chronotrack_runs_created_total${selector}`)).toBe(4);
    const finished = await query(`chronotrack_runs_finished_total${selector}`);
    expect(Object.fromEntries(finished.map((r) => [r.metric.status, Number(r.value[1])]))).toEqual({
      SUCCESS: 2,
      FAILED: 1,
      CANCELLED: 0,
    });
    expect(finished[0]!.metric).toMatchObject({ job_name: 'nightly backup', project: 'default' });
    expect(await value(`chronotrack_job_running${selector}`)).toBe(1);
    expect(await value(`chronotrack_job_up${selector}`)).toBe(0);
    expect(await value(`chronotrack_run_duration_seconds_count${selector}`)).toBe(3);
    // The histogram works with Prometheus' own functions.
    const p50 = await value(
      `histogram_quantile(0.5, chronotrack_run_duration_seconds_bucket${selector})`,
    );
    expect(p50).toBeGreaterThan(0);
    expect(p50).toBeLessThanOrEqual(1);
    const lastFailure = await value(`chronotrack_job_last_failure_timestamp_seconds${selector}`);
    expect(Math.abs(lastFailure - Date.now() / 1000)).toBeLessThan(120);
  });

  it('ingests the HTTP histogram by route template, never the raw path', async () => {
    // A scrape's own request is in the next scrape: wait for one more (1 s apart).
    const routesNow = async () =>
      (await query('http_server_request_duration_seconds_count')).map((r) => r.metric.route!);
    let routes = await routesNow();
    for (let i = 0; i < 40 && !routes.includes('/metrics'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      routes = await routesNow();
    }
    expect(routes).toContain('/metrics');
    expect(routes).toContain('/api/runs/{runId}');
    expect(routes).toContain('/api/jobs/{id}/runs');
    expect(routes.filter((route) => /\/\d+(\/|$)|:/.test(route))).toEqual([]);
  });
});
