import { Registry } from 'prom-client';
import { DURATION_BUCKETS, jobUp, type JobMetrics } from '../../shared/job-metrics.js';

/**
 * The job metrics written the plain way, by prom-client's Registry from metric families (what
 * `/metrics` served before functions/http/metrics/job-exposition.ts): the reference that the
 * hand-written exposition is held to.
 */
type Labels = Record<string, string>;
interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  values: Array<{ metricName?: string; labels: Labels; value: number }>;
  aggregator: 'sum';
}

const BUCKET_LES = [...DURATION_BUCKETS.map(String), '+Inf'];

function families(jobs: readonly JobMetrics[]): Family[] {
  const base = (job: JobMetrics): Labels => ({
    job_id: String(job.jobId),
    job_name: job.jobName,
    project: job.project,
  });
  const each = (value: (job: JobMetrics) => number | null, extra: Labels = {}) =>
    jobs.flatMap((job) => {
      const v = value(job);
      return v === null ? [] : [{ labels: { ...base(job), ...extra }, value: v }];
    });
  const seconds = (at: Date | null) => (at === null ? null : at.getTime() / 1000);
  const family = (name: string, type: Family['type'], help: string, values: Family['values']) =>
    ({ name, type, help, values, aggregator: 'sum' }) as Family;
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
      jobs.flatMap((job) => [
        ...BUCKET_LES.map((le, i) => ({
          metricName: 'chronotrack_run_duration_seconds_bucket',
          labels: { ...base(job), le },
          value: job.buckets[i] ?? job.durationCount,
        })),
        {
          metricName: 'chronotrack_run_duration_seconds_sum',
          labels: base(job),
          value: job.durationSumMs / 1000,
        },
        {
          metricName: 'chronotrack_run_duration_seconds_count',
          labels: base(job),
          value: job.durationCount,
        },
      ]),
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

/** The exposition as prom-client writes it: `processRegistry`'s metrics (if any), then the jobs'. */
export async function promClientExposition(
  jobs: readonly JobMetrics[],
  processRegistry?: Registry,
): Promise<string> {
  const registry = new Registry();
  for (const metric of families(jobs)) {
    registry.registerMetric({ ...metric, get: async () => metric } as unknown as Parameters<
      Registry['registerMetric']
    >[0]);
  }
  return (processRegistry ? Registry.merge([processRegistry, registry]) : registry).metrics();
}
