import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { startNodeServer, type NodeServer } from '../../test/support/node-process.js';
import {
  requireBinary,
  PROMETHEUS,
  startPrometheus,
  type PrometheusOnLoopback,
  type QueryResult,
} from '../../test/support/prometheus.js';

/**
 * Every PromQL expression of deploy/grafana/chronotrack.json, run against a real Prometheus that
 * scrapes a real ChronoTrack (Node + SQLite) with a read key: each must parse and return series.
 */
const dashboard = JSON.parse(
  readFileSync(new URL('./chronotrack.json', import.meta.url), 'utf8'),
) as Dashboard;

interface Target {
  expr: string;
  refId: string;
}
interface Panel {
  title: string;
  type: string;
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  __inputs: Array<{ name: string; pluginId: string }>;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; definition?: string }> };
}

const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
const targets = panels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ panel: panel.title, ...target })),
);

/** Grafana's variables as Grafana would fill them: `$job` All (`.*`) or one job's name. */
const substitute = (expr: string, job: string) =>
  expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__range', '5m')
    .replaceAll('$__interval', '15s')
    .replaceAll('$window', '5m')
    .replaceAll('$job', job);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deploy/grafana/chronotrack.json', () => {
  it('is importable: the datasource is an input, every panel and the job variable use it', () => {
    expect(dashboard.__inputs).toEqual([
      expect.objectContaining({ name: 'DS_PROMETHEUS', pluginId: 'prometheus' }),
    ]);
    const text = JSON.stringify(dashboard);
    expect(text).not.toMatch(/"uid":\s*"(?!\$\{DS_PROMETHEUS\}|chronotrack")/);
    const job = dashboard.templating.list.find((v) => v.name === 'job');
    expect(job?.definition).toBe('label_values(chronotrack_job_up, job_name)');
    expect(targets.length).toBeGreaterThanOrEqual(15);
    for (const title of [
      'Jobs down',
      'Running now',
      'Runs finished per job and status',
      'Failure rate per job',
      'Run duration p50 / p95 per job',
      'Requests per second by route',
      'Latency p50 / p95 by route',
      'Errors',
    ]) {
      expect(panels.map((p) => p.title)).toContain(title);
    }
  });

  describe('against a real Prometheus', () => {
    let dir: string;
    let server: NodeServer;
    let prometheus: PrometheusOnLoopback | undefined;
    let prometheusUrl: string;

    const api = async (
      path: string,
      init: { method?: string; body?: unknown; key?: string } = {},
    ) => {
      const response = await fetch(`${server.baseUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          ...(init.key === '' ? {} : { Authorization: `Bearer ${init.key ?? TEST_ADMIN_KEY}` }),
          ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: response.status, body: (await response.json().catch(() => null)) as any };
    };
    const createJob = async (name: string) =>
      (await api('/api/jobs', { method: 'POST', body: { name, type: 'test' } })).body.id as number;
    /** A run of the job moved through `statuses` (RUNNING, then a final one). */
    const run = async (jobId: number, ...statuses: string[]) => {
      const created = await api(`/api/jobs/${jobId}/runs`, { method: 'POST' });
      expect(created.status).toBe(201);
      for (const status of statuses) {
        const moved = await api(`/api/runs/${created.body.id}`, {
          method: 'PATCH',
          body: { status },
        });
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      }
    };
    const query = (expr: string): Promise<QueryResult> => prometheus!.query(expr);

    beforeAll(async () => {
      requireBinary(PROMETHEUS);
      dir = mkdtempSync(join(tmpdir(), 'chronotrack-grafana-'));
      server = await startNodeServer({
        ADMIN_API_KEY: TEST_ADMIN_KEY,
        DATABASE_FILE: join(dir, 'chronotrack.db'),
        RATE_LIMIT_PER_MINUTE: '0',
      });

      // Jobs in every state: succeeded, failed after a success, cancelled, running now.
      const backup = await createJob('Nightly backup');
      const etl = await createJob('Daily ETL');
      const reindex = await createJob('Reindex');
      const ci = await createJob('CI');
      await run(backup, 'RUNNING', 'SUCCESS');
      await run(etl, 'RUNNING', 'SUCCESS');
      await run(reindex, 'CANCELLED');
      await run(ci, 'RUNNING');

      // Prometheus scrapes with a read key, as docs/observability.md tells users to.
      const readKey = await api('/api/keys', {
        method: 'POST',
        body: { name: 'prometheus', scope: 'read' },
      });
      expect(readKey.status).toBe(201);
      writeFileSync(join(dir, 'read-key'), readKey.body.key, { mode: 0o600 });
      prometheus = await startPrometheus({
        dir,
        target: new URL(server.baseUrl).host,
        keyFile: join(dir, 'read-key'),
        // The alert rules too, so their expressions meet the real series.
        ruleFiles: [fileURLToPath(new URL('../prometheus/alerts.yml', import.meta.url))],
      });
      prometheusUrl = prometheus.url;

      // The target is up and the job series are ingested.
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (prometheus.exited()) throw new Error(`prometheus exited:\n${prometheus.output()}`);
        if (Date.now() > deadline) throw new Error(`no series ingested:\n${prometheus.output()}`);
        const up = await query('up{job="chronotrack"} == 1').catch(() => null);
        const jobs = await query('chronotrack_job_up').catch(() => null);
        if (up?.data.result.length && (jobs?.data.result.length ?? 0) >= 4) break;
        await sleep(250);
      }

      // Traffic after the first scrapes, so rates and increases have something to show: a
      // failure after the success, more successes, a 401 and a 404.
      await sleep(2_000);
      await run(etl, 'RUNNING', 'FAILED');
      await run(backup, 'RUNNING', 'SUCCESS');
      await run(ci, 'RUNNING', 'SUCCESS');
      expect((await api('/api/jobs', { key: '' })).status).toBe(401);
      expect((await api('/api/jobs/99999')).status).toBe(404);
      // Enough scrapes for rate() over 1m to have two samples after the changes.
      await sleep(3_000);
    }, 60_000);

    afterAll(async () => {
      await prometheus?.stop();
      if (server) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('scrapes ChronoTrack with the read key', async () => {
      const up = await query('up{job="chronotrack"}');
      expect(up.data.result.map((r) => r.value[1])).toEqual(['1']);
      // The HTTP panels group by route: the template, not the raw path.
      const patched = await query(
        'http_server_request_duration_seconds_count{method="PATCH",route="/api/runs/{runId}"}',
      );
      expect(patched.data.result.length).toBeGreaterThan(0);
    });

    it('evaluates deploy/prometheus/alerts.yml on the real series: ChronoTrackJobFailed pending for the failed job only', async () => {
      const rules = (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as {
        data: {
          groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }>;
        };
      };
      const all = rules.data.groups.flatMap((group) => group.rules);
      expect(all.map((rule) => rule.name).sort()).toEqual([
        'ChronoTrackJobFailed',
        'ChronoTrackJobNotSucceeded',
        'ChronoTrackJobStuckRunning',
      ]);
      // Rules are evaluated every second; wait for one evaluation after the failure.
      let alerts: Array<{ labels: Record<string, string>; state: string }> = [];
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const body = (await (await fetch(`${prometheusUrl}/api/v1/alerts`)).json()) as {
          data: { alerts: typeof alerts };
        };
        alerts = body.data.alerts;
        if (alerts.length) break;
        await sleep(250);
      }
      for (const rule of all) expect(rule.health, `${rule.name}: ${rule.lastError}`).toBe('ok');
      // `for: 1m`: pending, not firing, within the test; only Daily ETL failed last.
      expect(
        alerts.map((a) => [a.labels.alertname, a.labels.job_name, a.labels.project, a.state]),
      ).toEqual([['ChronoTrackJobFailed', 'Daily ETL', 'default', 'pending']]);
    });

    it('offers the jobs for the job variable (label_values(chronotrack_job_up, job_name))', async () => {
      const response = await fetch(
        `${prometheusUrl}/api/v1/label/job_name/values?match[]=chronotrack_job_up`,
      );
      const body = (await response.json()) as { status: string; data: string[] };
      expect(body.status).toBe('success');
      expect(body.data).toEqual(
        expect.arrayContaining(['Nightly backup', 'Daily ETL', 'Reindex', 'CI']),
      );
    });

    it.each(targets.map((t) => [`${t.panel} (${t.refId})`, t.expr] as const))(
      'panel %s parses and returns series for every job and for one job',
      async (_name, expr) => {
        for (const job of ['.*', 'Daily ETL']) {
          const result = await query(substitute(expr, job));
          expect(result.status, `${job}: ${result.error}`).toBe('success');
          expect(result.data.result.length, `${job}: ${substitute(expr, job)}`).toBeGreaterThan(0);
          if (job === '.*' && !/histogram_quantile|\/ sum/.test(expr)) {
            // Plain sums and gauges have numbers (ratios and quantiles may be NaN for an idle job).
            const values = result.data.result.map((r) => Number(r.value[1]));
            expect(values.some(Number.isFinite), substitute(expr, job)).toBe(true);
          }
        }
      },
    );
  });
});
