import { isoTime } from '../iso-time.js';

/**
 * What a message says, whatever the channel: which job, what happened and the facts a person
 * acts on. Built by the dispatcher from the outbox event and a few reads (shared/channels/
 * notify.ts); each type's formatter (messages/) only lays it out.
 */
export interface Notification {
  /** run.failed, job.down... or `channel.test`. */
  event: string;
  at: Date;
  job: { id: number; name: string; key: string; projectName: string | null } | null;
  run: {
    id: number;
    exitCode: number | null;
    errorMessage: string | null;
    durationMs: number | null;
    /** The last few lines of its output. */
    outputTail: string | null;
  } | null;
  /** job.late / job.down: when the run was expected, and when the job last succeeded. */
  expectedAt: Date | null;
  lastSuccessAt: Date | null;
  /** job.up: since when it was late or down. */
  downSince: Date | null;
  /** run.failed: failures held back by the minimum interval since the last message. */
  held: { count: number; since: Date } | null;
  /** The job's and the run's dashboard pages, when PUBLIC_URL is set (shared/links.ts). */
  links: { job: string; run: string | null } | null;
}

export type Tone = 'bad' | 'warn' | 'good' | 'info';

const HEADLINES: Record<string, [string, Tone]> = {
  'run.failed': ['FAILED', 'bad'],
  'run.succeeded': ['SUCCEEDED', 'good'],
  'run.slow': ['SLOW', 'warn'],
  'run.created': ['STARTED', 'info'],
  'run.cancelled': ['CANCELLED', 'warn'],
  'job.late': ['LATE', 'warn'],
  'job.down': ['DOWN', 'bad'],
  'job.up': ['UP', 'good'],
};

/** `DOWN: Nightly backup (Ops)`: the first line of every message, and its tone. */
export function headline(n: Notification): { title: string; tone: Tone } {
  if (!n.job) return { title: 'ChronoTrack test notification', tone: 'info' };
  const [word, tone] = HEADLINES[n.event] ?? [n.event, 'info'];
  const project = n.job.projectName ? ` (${n.job.projectName})` : '';
  return { title: `${word}: ${n.job.name}${project}`, tone };
}

/** "3 h 5 min", "42 s": a duration a person reads at a glance. */
export function humanDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** The facts under the headline, as label/value pairs, in reading order. */
export function facts(n: Notification): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (n.job) out.push(['Job', `${n.job.name} (${n.job.key})`]);
  if (n.job?.projectName) out.push(['Project', n.job.projectName]);
  if (n.run) {
    out.push(['Run', `#${n.run.id}`]);
    if (n.run.exitCode !== null) out.push(['Exit code', String(n.run.exitCode)]);
    if (n.run.errorMessage) out.push(['Error', n.run.errorMessage]);
    if (n.run.durationMs !== null) out.push(['Duration', humanDuration(n.run.durationMs)]);
  }
  if (n.expectedAt) out.push(['Expected at', isoTime(n.expectedAt)]);
  if (n.event === 'job.late' || n.event === 'job.down')
    out.push(['Last success', n.lastSuccessAt ? isoTime(n.lastSuccessAt) : 'never']);
  if (n.downSince)
    out.push(['Down for', humanDuration(Math.max(0, n.at.getTime() - n.downSince.getTime()))]);
  if (n.held)
    out.push([
      'Held back',
      `and ${n.held.count} more failure${n.held.count === 1 ? '' : 's'} since ${isoTime(n.held.since)}`,
    ]);
  return [...out, ...linkFacts(n)];
}

/** The dashboard links as facts (`Run page`, `Job page`), last; none without PUBLIC_URL. */
export function linkFacts(n: Notification): Array<[string, string]> {
  if (!n.links) return [];
  return [
    ...(n.links.run ? [['Run page', n.links.run] as [string, string]] : []),
    ['Job page', n.links.job],
  ];
}

/** The whole message as plain text: the headline, the facts, the output tail. */
export function plainText(n: Notification): string {
  if (!n.job) return 'A test notification from ChronoTrack: this channel works.';
  const lines = facts(n).map(([label, value]) => `${label}: ${value}`);
  if (n.run?.outputTail) lines.push('', 'Output (last lines):', n.run.outputTail);
  return lines.join('\n');
}

/** `text` cut to `max` characters, an ellipsis marking the cut: services refuse longer fields. */
export const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

const TAIL_LINES = 5;
const TAIL_CHARS = 600;

/** The last few lines of a run's output, at most 600 characters; null when there is none. */
export function outputTail(output: string | null): string | null {
  if (!output) return null;
  const lines = output.replace(/\s+$/, '').split('\n').slice(-TAIL_LINES).join('\n');
  if (!lines) return null;
  return lines.length > TAIL_CHARS ? `…${lines.slice(-TAIL_CHARS)}` : lines;
}
