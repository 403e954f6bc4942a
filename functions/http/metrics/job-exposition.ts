import { DURATION_BUCKETS, jobUp, type JobMetrics } from '../../../shared/job-metrics.js';

/**
 * The job metrics' text exposition (Prometheus text format 0.0.4), written straight from the
 * counters' rows. Hand-tuned: prom-client's Registry builds an object per sample and formats
 * each line through several arrays, which at 1,000 jobs (23,000 lines) was most of a scrape's
 * time (docs/performance.md, "Hand-tuned code"). `job-exposition.test.ts` holds it to
 * prom-client's text for the same rows: the same families in the same order, the same HELP and
 * TYPE lines, label order, escaping and number formatting.
 */

interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
}

/** The families, in the order they are written. Their HELP texts need no escaping. */
const FAMILIES = {
  created: {
    name: 'chronotrack_runs_created_total',
    type: 'counter',
    help: 'Runs created, per job.',
  },
  finished: {
    name: 'chronotrack_runs_finished_total',
    type: 'counter',
    help: 'Runs that reached a final status, per job and status.',
  },
  duration: {
    name: 'chronotrack_run_duration_seconds',
    type: 'histogram',
    help: 'Durations of finished runs (finishedAt - startedAt; runs cancelled before starting have none).',
  },
  running: {
    name: 'chronotrack_job_running',
    type: 'gauge',
    help: 'Runs of the job RUNNING now.',
  },
  lastSuccess: {
    name: 'chronotrack_job_last_success_timestamp_seconds',
    type: 'gauge',
    help: 'When the job last finished a run with SUCCESS (Unix seconds); absent until it has.',
  },
  lastFailure: {
    name: 'chronotrack_job_last_failure_timestamp_seconds',
    type: 'gauge',
    help: 'When the job last finished a run with FAILED (Unix seconds); absent until it has.',
  },
  up: {
    name: 'chronotrack_job_up',
    type: 'gauge',
    help: "1 when the job's last finished run succeeded and it is not late or down (as the sweep last recorded), else 0 (also before any run finished).",
  },
} as const satisfies Record<string, Family>;

const header = (family: Family) =>
  `# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.type}`;

const BUCKET_LES = [...DURATION_BUCKETS.map(String), '+Inf'];

/** A label value as the text format wants it: backslash, newline and double quote escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** A sample's value as prom-client writes it (`Nan`, `+Inf`, `-Inf`, else JavaScript's). */
function valueText(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

const seconds = (at: Date | null) => (at === null ? null : at.getTime() / 1000);

/**
 * The seven job families as text, families separated by a blank line, without a final newline
 * (the caller joins them to the process's metrics). Each job's labels (`job_id`, `job_name`,
 * `project`, never `job`) are escaped once per scrape.
 */
export function jobExposition(jobs: readonly JobMetrics[]): string {
  const labels = jobs.map(
    (job) =>
      `job_id="${job.jobId}",job_name="${escapeLabelValue(job.jobName)}",project="${escapeLabelValue(job.project)}"`,
  );
  const perJob = (family: Family, value: (job: JobMetrics) => number | null) => {
    let text = header(family);
    for (let i = 0; i < jobs.length; i++) {
      const v = value(jobs[i]!);
      if (v !== null) text += `\n${family.name}{${labels[i]}} ${valueText(v)}`;
    }
    return text;
  };

  let finished = header(FAMILIES.finished);
  for (const [status, count] of [
    ['SUCCESS', (job: JobMetrics) => job.successTotal],
    ['FAILED', (job: JobMetrics) => job.failedTotal],
    ['CANCELLED', (job: JobMetrics) => job.cancelledTotal],
  ] as const) {
    for (let i = 0; i < jobs.length; i++) {
      finished += `\n${FAMILIES.finished.name}{${labels[i]},status="${status}"} ${valueText(count(jobs[i]!))}`;
    }
  }

  const name = FAMILIES.duration.name;
  let duration = header(FAMILIES.duration);
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    const base = labels[i]!;
    for (let b = 0; b < BUCKET_LES.length; b++) {
      const count = job.buckets[b] ?? job.durationCount;
      duration += `\n${name}_bucket{${base},le="${BUCKET_LES[b]}"} ${valueText(count)}`;
    }
    duration += `\n${name}_sum{${base}} ${valueText(job.durationSumMs / 1000)}`;
    duration += `\n${name}_count{${base}} ${valueText(job.durationCount)}`;
  }

  return [
    perJob(FAMILIES.created, (job) => job.createdTotal),
    finished,
    duration,
    perJob(FAMILIES.running, (job) => job.running),
    perJob(FAMILIES.lastSuccess, (job) => seconds(job.lastSuccessAt)),
    perJob(FAMILIES.lastFailure, (job) => seconds(job.lastFailureAt)),
    perJob(FAMILIES.up, jobUp),
  ].join('\n\n');
}
