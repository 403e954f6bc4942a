import { isoTime } from '../../iso-time.js';
import { clip, facts, headline, type Notification } from '../notification.js';
import { json, type HttpMessage } from './message.js';

/** One incident per job: every trigger and the resolve of one job share this key. */
export const pagerDutyDedupKey = (jobId: number) => `chronotrack-job-${jobId}`;

/**
 * A PagerDuty Events API v2 event: `trigger` on job.down and run.failed (severity critical and
 * error), `resolve` on job.up, all with the job's `dedup_key`, so one incident per job opens and
 * closes. A test (no job) triggers an `info` alert under its own key and resolves nothing.
 */
export function pagerDutyMessage(n: Notification, routingKey: string): HttpMessage {
  const { title } = headline(n);
  const dedupKey = n.job ? pagerDutyDedupKey(n.job.id) : `chronotrack-test-${n.at.getTime()}`;
  if (n.event === 'job.up')
    return json({ routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey });
  return json({
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: clip(title, 1024),
      severity: n.event === 'job.down' ? 'critical' : n.job ? 'error' : 'info',
      source: n.job ? `chronotrack/${n.job.key}` : 'chronotrack',
      timestamp: isoTime(n.at),
      component: n.job?.name ?? 'ChronoTrack',
      group: n.job?.projectName ?? undefined,
      class: n.event,
      custom_details: {
        ...Object.fromEntries(facts(n)),
        ...(n.run?.outputTail && { output: n.run.outputTail }),
      },
    },
    // With PUBLIC_URL, the incident links to the dashboard.
    ...(n.links && {
      links: [
        ...(n.links.run ? [{ href: n.links.run, text: 'Run in ChronoTrack' }] : []),
        { href: n.links.job, text: 'Job in ChronoTrack' },
      ],
    }),
  });
}
