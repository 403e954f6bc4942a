import type { ReactNode } from 'react';
import type { Job } from '../../api/client';
import { crontabSchedule, PLACEHOLDER, type CrontabSchedule } from './crontab';

/** Text with `code` spans, as crontab.ts writes its reasons. */
const withCode = (text: string): ReactNode[] =>
  text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));

/** What the crontab line's schedule field is, when it is not simply the job's schedule. */
function crontabNotes(schedule: CrontabSchedule, timezone: string | null): ReactNode[] {
  if (schedule.kind === 'placeholder')
    return [
      <p key="placeholder">
        {withCode(schedule.reason)} Put the times it should run at, as crontab writes them, in place
        of <code>{PLACEHOLDER}</code>.
      </p>,
    ];
  const notes = schedule.rewritten ? [<p key="rewritten">{withCode(schedule.rewritten)}</p>] : [];
  // No CRON_TZ line in the copied text: pasted into a crontab it would move every line below it
  // (cronie), and Debian's cron ignores it. The zone is said instead.
  if (schedule.zone)
    notes.push(
      <p key="zone">
        ChronoTrack reads this schedule in {schedule.zone}
        {timezone === null ? ' (the job has no time zone)' : ''}; cron reads it in its
        machine&apos;s time zone. If that is another one, runs may come when ChronoTrack does not
        expect them: set the job&apos;s <code>timezone</code> to the machine&apos;s, or with cronie
        (Fedora, RHEL) put <code>CRON_TZ={schedule.zone}</code> on a line above (it applies to every
        line below it; Debian&apos;s cron ignores it).
      </p>,
    );
  return notes;
}

/**
 * How to report this job's runs from where they happen, with this server's URL filled in: the
 * Healthchecks-style ping URL (no key needed: the URL is the secret), a crontab line that pings
 * the start and then the command's exit status, and the CLI's wrapper. Only a key that may
 * record runs sees the ping URL (a read key gets null from the API), so only then is this shown.
 */
export function JobReporting({ job }: { job: Job }) {
  if (job.pingUrl === null || job.archived) return null;
  const url = new URL(job.pingUrl, window.location.origin).toString();
  const curl = 'curl -fsS -m 10 --retry 5 -o /dev/null';
  const schedule = crontabSchedule(job.schedule, job.timezone);
  const crontab = `${schedule.field} ${curl} ${url}/start; /path/to/command; ${curl} ${url}/$?`;
  const noteId = `job-${job.id}-crontab-note`;
  const notes = crontabNotes(schedule, job.timezone);
  const cli = `chronotrack exec --job ${job.key} -- /path/to/command`;
  return (
    <section className="card reporting" aria-labelledby={`job-${job.id}-reporting`}>
      <h2 id={`job-${job.id}-reporting`}>Report runs</h2>
      <p>
        Ping URL, no API key needed (anyone with it can record runs, so keep it like a secret; it
        speaks Healthchecks&apos; ping API):
      </p>
      <pre>
        <code aria-label="Ping URL">{url}</code>
      </pre>
      <p>
        From a crontab: the start, then the command&apos;s exit status (0 is a success, anything
        else a failure with that code):
      </p>
      <pre>
        <code aria-label="Crontab line" aria-describedby={notes.length ? noteId : undefined}>
          {crontab}
        </code>
      </pre>
      {notes.length ? (
        <div id={noteId} className="crontab-note">
          {notes}
        </div>
      ) : null}
      <button type="button" onClick={() => void navigator.clipboard?.writeText(crontab)}>
        Copy crontab line
      </button>
      <p>
        Or wrap the command with the CLI (with <code>CHRONOTRACK_URL={window.location.origin}</code>{' '}
        and a write key in <code>CHRONOTRACK_API_KEY</code>), which also sends heartbeats and keeps
        the output&apos;s tail: <code>{cli}</code>
      </p>
    </section>
  );
}
