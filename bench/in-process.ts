/** What the in-process benches (heartbeat, slow flag, lost-run sweep) share. */
import type { JobRun } from '../shared/models.js';
import type { JobRepository, JobRunRepository } from '../shared/repositories.js';

/** Calls in flight at once: what a loaded server's group commit sees. */
export const CONCURRENCY = 32;

/** CPU µs (user + system) per call of `op` over `items`, CONCURRENCY calls in flight. */
export async function perCall<T>(items: T[], op: (item: T) => Promise<unknown>): Promise<number> {
  const began = process.cpuUsage();
  for (let i = 0; i < items.length; i += CONCURRENCY)
    await Promise.all(items.slice(i, i + CONCURRENCY).map(op));
  const used = process.cpuUsage(began);
  return (used.user + used.system) / items.length;
}

type ExtraJobFields = Omit<
  Parameters<JobRepository['create']>[0],
  'projectId' | 'key' | 'name' | 'description' | 'type' | 'now'
>;

/**
 * `count` jobs named `job 0`, `job 1`… in project 1, created at `now`, each with whatever
 * `fieldsOf` adds (limits).
 */
export async function createBenchJobs(
  jobs: JobRepository,
  count: number,
  now: Date,
  fieldsOf: (index: number) => ExtraJobFields = () => ({}),
): Promise<number[]> {
  const ids: number[] = [];
  for (let j = 0; j < count; j++) {
    const job = await jobs.create({
      projectId: 1,
      key: `job-${j}`,
      name: `job ${j}`,
      description: null,
      type: null,
      now,
      ...fieldsOf(j),
    });
    ids.push(job.id);
  }
  return ids;
}

/** `count` RUNNING runs started at `now`, spread over `jobIds` in turn. */
export async function openBenchRuns(
  runs: JobRunRepository,
  jobIds: number[],
  count: number,
  now: Date,
): Promise<JobRun[]> {
  const open: JobRun[] = [];
  for (let i = 0; i < count; i++) {
    const run = await runs.createForActiveJob({
      jobId: jobIds[i % jobIds.length]!,
      status: 'RUNNING',
      createdAt: now,
      startedAt: now,
      metadata: null,
    });
    if (!run) throw new Error(`no run was created for job ${jobIds[i % jobIds.length]}`);
    open.push(run);
  }
  return open;
}
