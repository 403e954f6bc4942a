import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBetterSqlite } from '../../../db/better-sqlite3.js';
import { createJsonLogger } from '../../../shared/logger.js';
import { appOver, requestTarget } from '../../../test/support/apps.js';
import { client } from '../../../test/support/client.js';
import { parseExposition, sampleValue } from '../../../test/support/exposition.js';
import { createProcessMetrics } from '../../runtime/node-metrics.js';

/** What only the Node side shows: counters across a restart, METRICS_PUBLIC, process metrics. */
describe('GET /metrics on Node + better-sqlite3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-metrics-'));
  const file = join(dir, 'metrics.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const scrape = async (api: ReturnType<typeof client>) => {
    const res = await api.get('/metrics');
    expect(res.status, res.text).toBe(200);
    return parseExposition(res.text);
  };

  it('counters survive a restart: they live in the database, not the process', async () => {
    let database = openBetterSqlite(file);
    let admin = client(requestTarget(appOver(database)));
    const job = await admin.job('survivor');
    for (const status of ['SUCCESS', 'FAILED']) {
      const run = await admin.run(job.id, { status: 'RUNNING' });
      expect((await admin.patch(`/api/runs/${run.id}`, { status })).status).toBe(200);
    }
    const before = await scrape(admin);
    await database.close();

    database = openBetterSqlite(file);
    admin = client(requestTarget(appOver(database)));
    const after = await scrape(admin);
    const labels = { job_id: String(job.id) };
    expect(sampleValue(after, 'chronotrack_runs_created_total', labels)).toBe(2);
    expect(after.filter((s) => s.name.startsWith('chronotrack_'))).toEqual(
      before.filter((s) => s.name.startsWith('chronotrack_')),
    );
    await admin.run(job.id);
    expect(sampleValue(await scrape(admin), 'chronotrack_runs_created_total', labels)).toBe(3);
    await database.close();
  });

  it('METRICS_PUBLIC=true answers without a key; AUTH=off too', async () => {
    const database = openBetterSqlite(join(dir, 'public.db'));
    const anonymous = (overrides: Parameters<typeof appOver>[2]) =>
      client(requestTarget(appOver(database, undefined, overrides)), null);
    expect((await anonymous({}).get('/metrics')).status).toBe(401);
    expect((await anonymous({ metricsPublic: true }).get('/metrics')).status).toBe(200);
    expect((await anonymous({ auth: false }).get('/metrics')).status).toBe(200);
    // The API itself stays closed: METRICS_PUBLIC opens /metrics only.
    expect((await anonymous({ metricsPublic: true }).get('/api/jobs')).status).toBe(401);
    await database.close();
  });

  it("serves the process's metrics and times requests by route template", async () => {
    const database = openBetterSqlite(join(dir, 'process.db'));
    const admin = client(
      requestTarget(appOver(database, undefined, { processMetrics: createProcessMetrics() })),
    );
    const job = await admin.job('timed');
    await admin.get(`/api/jobs/${job.id}`);
    await admin.get('/api/jobs/999999');
    const samples = await scrape(admin);
    expect(samples.some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);
    expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    const count = (route: string, status: string) =>
      sampleValue(samples, 'http_server_request_duration_seconds_count', {
        method: 'GET',
        route,
        status,
      });
    expect(count('/api/jobs/{id}', '200')).toBe(1);
    expect(count('/api/jobs/{id}', '404')).toBe(1);
    expect(count('/api/jobs', '201')).toBeUndefined();
    expect(
      sampleValue(samples, 'http_server_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/jobs',
      }),
    ).toBe(1);
    await database.close();
  });

  it('names the route that answered when the dashboard is served after every route', async () => {
    // The dashboard's `*` matches every request last: the access line and the histogram must
    // still name the handler's route, not `/*`.
    const database = openBetterSqlite(join(dir, 'dashboard.db'));
    const lines: Array<Record<string, unknown>> = [];
    const logger = createJsonLogger({ write: (line: string) => lines.push(JSON.parse(line)) });
    const admin = client(
      requestTarget(
        appOver(database, logger, {
          processMetrics: createProcessMetrics(),
          dashboardAssets: async () => null,
        }),
      ),
    );
    await admin.get('/api/runs/12345');
    const samples = await scrape(admin);
    expect(
      sampleValue(samples, 'http_server_request_duration_seconds_count', {
        route: '/api/runs/{runId}',
        status: '404',
      }),
    ).toBe(1);
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({
      path: '/api/runs/12345',
      route: '/api/runs/{runId}',
    });
    await database.close();
  });
});
