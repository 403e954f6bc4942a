import { jobHealth, type JobHealth } from '../job-health.js';
import type { Logger } from '../logger.js';
import type { JobRepository } from '../repositories.js';

/** One health change this process recorded. */
export interface HealthTransition {
  jobId: number;
  from: JobHealth | null;
  to: JobHealth;
}

/**
 * Records each job's derived health in jobs.health when it differs from the one recorded, so a
 * change is seen (and, through triggers on that column, notified) once rather than on every
 * check. Each change is one compare-and-set UPDATE on the value read: of several processes
 * sweeping one database at once, exactly one records a given change. Part of the sweep tick.
 */
export class HealthRecorder {
  constructor(
    private readonly jobs: Pick<JobRepository, 'listForHealth' | 'recordHealth'>,
    private readonly logger: Logger,
  ) {}

  async record(now: Date): Promise<HealthTransition[]> {
    const recorded: HealthTransition[] = [];
    for (const job of await this.jobs.listForHealth()) {
      const { health } = jobHealth(job, now);
      if (health === job.recordedHealth) continue;
      if (!(await this.jobs.recordHealth(job.id, job.recordedHealth, health, now))) continue;
      const transition = { jobId: job.id, from: job.recordedHealth, to: health };
      this.logger.info('job health changed', transition);
      recorded.push(transition);
    }
    return recorded;
  }
}
