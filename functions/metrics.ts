import type { Context, MiddlewareHandler } from 'hono';
import type { Registry as RegistryType } from 'prom-client';
import Registry from 'prom-client/lib/registry.js';
import { DURATION_BUCKETS, type JobMetrics } from '../shared/job-metrics.js';
import type { AppEnv } from './env.js';
import { handlerRoutePath } from './route-path.js';

/**
 * What only the Node process measures (functions/node-metrics.ts builds it with prom-client):
 * its default `process_*`/`nodejs_*` metrics and the HTTP request histogram. The Worker has
 * none: an isolate's own figures would describe one of many short-lived isolates.
 */
export interface ProcessMetrics {
  /** Served before the job metrics on every scrape. */
  registry: RegistryType;
  /** Records one answered request under its route template (`/api/runs/{runId}`). */
  observeRequest(labels: { method: string; route: string; status: string }, seconds: number): void;
}

/** Hono's `/api/runs/:runId` as OpenAPI writes it, `/api/runs/{runId}`; `*` for no route. */
export const routeTemplate = (path: string): string =>
  path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');

/** Times every request into `observeRequest`, labelled with the route that answered it. */
export function requestMetrics(metrics: ProcessMetrics): MiddlewareHandler<AppEnv> {
  return async function requestMetricsMiddleware(c, next) {
    const start = performance.now();
    try {
      await next();
    } finally {
      metrics.observeRequest(
        {
          method: c.req.method,
          route: routeTemplate(handlerRoutePath(c)),
          status: String(c.res.status),
        },
        (performance.now() - start) / 1000,
      );
    }
  };
}

/** A metric family as prom-client's collectors hand it to the Registry (`metric.get()`). */
interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  /** `sharedLabels`: labels common to many lines, which the Registry formats once per object. */
  values: Array<{ metricName?: string; labels: Labels; sharedLabels: Labels; value: number }>;
  aggregator: 'sum';
}
type Labels = Record<string, string>;
const NO_LABELS: Labels = Object.freeze({}) as Labels;

const family = (
  name: string,
  type: Family['type'],
  help: string,
  values: Family['values'],
): Family => ({
  name,
  help,
  type,
  values,
  aggregator: 'sum',
});

/**
 * The job metrics as metric families: labels `job_id`, `job_name` and `project` (never `job`,
 * which Prometheus sets on every target). Counters come straight from the database, so every
 * process and isolate reports the same values.
 */
export function jobMetricFamilies(jobs: readonly JobMetrics[]): Family[] {
  // The job's labels as prom-client's `sharedLabels`: one object per job, which the Registry
  // escapes and joins once per job (it caches by object) instead of once per line. With 1,000
  // jobs that is 25,000 lines: per-line label objects made the exposition 4x slower.
  const shared = new Map(jobs.map((job) => [job.jobId, labelsOf(job)]));
  const sharedOf = (job: JobMetrics) => shared.get(job.jobId)!;
  const each = (value: (job: JobMetrics) => number | null, labels: Labels = NO_LABELS) =>
    jobs.flatMap((job) => {
      const v = value(job);
      return v === null ? [] : [{ labels, sharedLabels: sharedOf(job), value: v }];
    });
  const seconds = (at: Date | null) => (at === null ? null : at.getTime() / 1000);
  const bucketLabels = [...DURATION_BUCKETS.map(String), '+Inf'].map((le) => ({ le }));
  const histogram = jobs.flatMap((job) => {
    const sharedLabels = sharedOf(job);
    return [
      ...bucketLabels.map((labels, i) => ({
        metricName: 'chronotrack_run_duration_seconds_bucket',
        labels,
        sharedLabels,
        value: job.buckets[i] ?? job.durationCount,
      })),
      {
        metricName: 'chronotrack_run_duration_seconds_sum',
        labels: NO_LABELS,
        sharedLabels,
        value: job.durationSumMs / 1000,
      },
      {
        metricName: 'chronotrack_run_duration_seconds_count',
        labels: NO_LABELS,
        sharedLabels,
        value: job.durationCount,
      },
    ];
  });
  return [
    family(
      'chronotrack_runs_created_total',
      'counter',
      'Runs created, per job.',
      each((j) => j.createdTotal),
    ),
    family(
      'chronotrack_runs_finished_total',
      'counter',
      'Runs that reached a final status, per job and status.',
      [
        ...each((j) => j.successTotal, { status: 'SUCCESS' }),
        ...each((j) => j.failedTotal, { status: 'FAILED' }),
        ...each((j) => j.cancelledTotal, { status: 'CANCELLED' }),
      ],
    ),
    family(
      'chronotrack_run_duration_seconds',
      'histogram',
      'Durations of finished runs (finishedAt - startedAt; runs cancelled before starting have none).',
      histogram,
    ),
    family(
      'chronotrack_job_running',
      'gauge',
      'Runs of the job RUNNING now.',
      each((j) => j.running),
    ),
    family(
      'chronotrack_job_last_success_timestamp_seconds',
      'gauge',
      'When the job last finished a run with SUCCESS (Unix seconds); absent until it has.',
      each((j) => seconds(j.lastSuccessAt)),
    ),
    family(
      'chronotrack_job_last_failure_timestamp_seconds',
      'gauge',
      'When the job last finished a run with FAILED (Unix seconds); absent until it has.',
      each((j) => seconds(j.lastFailureAt)),
    ),
    family(
      'chronotrack_job_up',
      'gauge',
      "1 when the job's last finished run succeeded, else 0 (also before any run finished).",
      each((j) => (j.lastFinishedStatus === 'SUCCESS' ? 1 : 0)),
    ),
  ];
}

function labelsOf(job: JobMetrics): Labels {
  return { job_id: String(job.jobId), job_name: job.jobName, project: job.project };
}

/** The text exposition: the process's metrics (Node) and then the job metrics, written by prom-client. */
export async function exposition(
  jobs: readonly JobMetrics[],
  processMetrics?: ProcessMetrics,
): Promise<string> {
  const registry = new Registry();
  for (const metric of jobMetricFamilies(jobs)) {
    // A metric object as prom-client's own collectors hand it over: name, help, type, values.
    registry.registerMetric({ ...metric, get: async () => metric } as unknown as Parameters<
      RegistryType['registerMetric']
    >[0]);
  }
  const merged = processMetrics ? Registry.merge([processMetrics.registry, registry]) : registry;
  return merged.metrics();
}

/**
 * GET /metrics: a read key (project-scoped keys see their project's jobs only), or anyone when
 * METRICS_PUBLIC=true. The job metrics are one indexed read of `job_metrics`.
 */
export function metricsHandler(processMetrics?: ProcessMetrics) {
  return async function metrics(c: Context<AppEnv>) {
    const project = c.var.principal?.projectId ?? null;
    const body = await exposition(await c.var.services.jobMetrics.list(project), processMetrics);
    return c.body(body, 200, {
      'Content-Type': Registry.PROMETHEUS_CONTENT_TYPE,
      'Cache-Control': 'no-store',
    });
  };
}
