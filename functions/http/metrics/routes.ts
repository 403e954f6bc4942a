import type { Context } from 'hono';
import type { Registry as RegistryType } from 'prom-client';
import Registry from 'prom-client/lib/registry.js';
import { DURATION_BUCKETS, jobUp, type JobMetrics } from '../../../shared/job-metrics.js';
import type { AppEnv } from '../env.js';
import type { ProcessMetrics } from '../middleware/request-metrics.js';

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

const BUCKET_LES = [...DURATION_BUCKETS.map(String), '+Inf'];

/** Every label object one job's lines carry, each with all of that line's labels. */
interface JobLabels {
  jobName: string;
  project: string;
  job: Labels;
  buckets: Labels[];
  finished: Record<'SUCCESS' | 'FAILED' | 'CANCELLED', Labels>;
}

/**
 * The jobs' label objects, kept from one scrape to the next. prom-client formats and escapes a
 * line's `sharedLabels` once per object (it caches the text by object), so with every label of a
 * line in one object that lives as long as the job's name and project do, a scrape formats no
 * label at all: 1,000 jobs are 25,000 lines, and formatting their labels was a third of a
 * scrape's CPU. Held by the /metrics handler (one per app), rebuilt from the jobs of each scrape,
 * so a deleted or renamed job's objects are dropped with it.
 */
export class JobLabelCache {
  private byJob = new Map<number, JobLabels>();

  labelsOf(jobs: readonly JobMetrics[]): (job: JobMetrics) => JobLabels {
    const next = new Map<number, JobLabels>();
    for (const job of jobs) {
      const kept = this.byJob.get(job.jobId);
      next.set(
        job.jobId,
        kept && kept.jobName === job.jobName && kept.project === job.project
          ? kept
          : jobLabels(job),
      );
    }
    this.byJob = next;
    return (job) => next.get(job.jobId)!;
  }
}

function jobLabels(job: JobMetrics): JobLabels {
  const base = { job_id: String(job.jobId), job_name: job.jobName, project: job.project };
  return {
    jobName: job.jobName,
    project: job.project,
    job: base,
    buckets: BUCKET_LES.map((le) => ({ ...base, le })),
    finished: {
      SUCCESS: { ...base, status: 'SUCCESS' },
      FAILED: { ...base, status: 'FAILED' },
      CANCELLED: { ...base, status: 'CANCELLED' },
    },
  };
}

/**
 * The job metrics as metric families: labels `job_id`, `job_name` and `project` (never `job`,
 * which Prometheus sets on every target). Counters come straight from the database, so every
 * process and isolate reports the same values.
 */
export function jobMetricFamilies(
  jobs: readonly JobMetrics[],
  cache: JobLabelCache = new JobLabelCache(),
): Family[] {
  const labelsOf = cache.labelsOf(jobs);
  const each = (
    value: (job: JobMetrics) => number | null,
    labels: (job: JobMetrics) => Labels = (job) => labelsOf(job).job,
  ) =>
    jobs.flatMap((job) => {
      const v = value(job);
      return v === null ? [] : [{ labels: NO_LABELS, sharedLabels: labels(job), value: v }];
    });
  const seconds = (at: Date | null) => (at === null ? null : at.getTime() / 1000);
  const histogram = jobs.flatMap((job) => {
    const { job: sharedLabels, buckets } = labelsOf(job);
    return [
      ...buckets.map((labels, i) => ({
        metricName: 'chronotrack_run_duration_seconds_bucket',
        labels: NO_LABELS,
        sharedLabels: labels,
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
        ...each(
          (j) => j.successTotal,
          (j) => labelsOf(j).finished.SUCCESS,
        ),
        ...each(
          (j) => j.failedTotal,
          (j) => labelsOf(j).finished.FAILED,
        ),
        ...each(
          (j) => j.cancelledTotal,
          (j) => labelsOf(j).finished.CANCELLED,
        ),
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
      "1 when the job's last finished run succeeded and it is not late or down (as the sweep last recorded), else 0 (also before any run finished).",
      each(jobUp),
    ),
  ];
}

/** The text exposition: the process's metrics (Node) and then the job metrics, written by prom-client. */
export async function exposition(
  jobs: readonly JobMetrics[],
  processMetrics?: ProcessMetrics,
  labels?: JobLabelCache,
): Promise<string> {
  const registry = new Registry();
  for (const metric of jobMetricFamilies(jobs, labels)) {
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
  const labels = new JobLabelCache();
  return async function metrics(c: Context<AppEnv>) {
    const project = c.var.principal?.projectId ?? null;
    const jobs = await c.var.services.jobMetrics.list(project);
    const body = await exposition(jobs, processMetrics, labels);
    return c.body(body, 200, {
      'Content-Type': Registry.PROMETHEUS_CONTENT_TYPE,
      'Cache-Control': 'no-store',
    });
  };
}
