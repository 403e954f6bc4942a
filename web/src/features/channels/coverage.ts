import type { Channel, Job } from '../../api/client';

/**
 * Whether `channel` notifies about `job`: it is enabled, in the job's project (or restricted to
 * none), and its `jobIds` is absent or names the job. Which of its `events` happen is another
 * matter; this is the "is this job covered at all" question the job page answers.
 *
 * This mirrors the server's rule, which decides what is actually sent: `targetsJob` in
 * shared/webhooks/event-triggers.ts and the outbox triggers' `w.enabled = 1 AND
 * (w.job_ids IS NULL OR ...) AND (w.project_id IS NULL OR ...)` in
 * db/migrations/0009_channels.sql. The dashboard cannot import either (it talks HTTP only);
 * coverage.test.ts compares this with `targetsJob` over generated cases.
 */
export function channelCoversJob(
  channel: Pick<Channel, 'enabled' | 'projectId' | 'jobIds'>,
  job: Pick<Job, 'id' | 'projectId'>,
): boolean {
  return (
    channel.enabled &&
    (channel.projectId === null || channel.projectId === job.projectId) &&
    (channel.jobIds === null || channel.jobIds.includes(job.id))
  );
}

/** The channels that notify about `job`, in the list's order (oldest first, as the API lists). */
export const channelsCovering = <C extends Pick<Channel, 'enabled' | 'projectId' | 'jobIds'>>(
  channels: readonly C[],
  job: Pick<Job, 'id' | 'projectId'>,
): C[] => channels.filter((channel) => channelCoversJob(channel, job));
