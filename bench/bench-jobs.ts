/**
 * Jobs for the in-process benches (heartbeat, slow flag, lost-run sweep): `count` jobs named
 * `job 0`, `job 1`… in project 1, created at `now`, each with whatever `fieldsOf` adds (limits).
 */
import type { JobRepository } from '../shared/repositories.js';

type ExtraJobFields = Omit<
  Parameters<JobRepository['create']>[0],
  'projectId' | 'key' | 'name' | 'description' | 'type' | 'now'
>;

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
