import type { Context } from 'hono';
import type { JobMetrics } from '../../../shared/job-metrics.js';
import type { AppEnv } from '../env.js';
import type { ProcessMetrics } from '../middleware/request-metrics.js';
import { jobExposition } from './job-exposition.js';

/** The text format's media type, as prom-client's Registry names it (PROMETHEUS_CONTENT_TYPE). */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The text exposition: the process's metrics (Node), written by prom-client, and then the job
 * metrics, written from the rows by `jobExposition` (the text prom-client's merged registry
 * wrote for both: families separated by a blank line, one final newline).
 */
export async function exposition(
  jobs: readonly JobMetrics[],
  processMetrics?: ProcessMetrics,
): Promise<string> {
  const jobText = `${jobExposition(jobs)}\n`;
  if (!processMetrics || processMetrics.registry.getMetricsAsArray().length === 0) return jobText;
  return `${await processMetrics.registry.metrics()}\n${jobText}`;
}

/**
 * GET /metrics: a read key (project-scoped keys see their project's jobs only), or anyone when
 * METRICS_PUBLIC=true. The job metrics are one indexed read of `job_metrics`.
 */
export function metricsHandler(processMetrics?: ProcessMetrics) {
  return async function metrics(c: Context<AppEnv>) {
    const project = c.get('principal')?.projectId ?? null;
    const jobs = await c.get('services').jobMetrics.list(project);
    const body = await exposition(jobs, processMetrics);
    return c.body(body, 200, {
      'Content-Type': PROMETHEUS_CONTENT_TYPE,
      'Cache-Control': 'no-store',
    });
  };
}
