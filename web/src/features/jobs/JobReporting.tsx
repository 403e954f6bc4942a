import type { Job } from '../../api/client';

/** A crontab's schedule field: the job's own when crontab can read it, else a placeholder. */
function crontabSchedule(schedule: string | null): string {
  if (schedule === null) return '0 3 * * *';
  // Five fields or an @nickname are crontab's own syntax; six fields (seconds) and `every 15m`
  // are ChronoTrack's and cron would refuse them.
  const fields = schedule.trim().split(/\s+/);
  if (fields.length === 5 || (fields.length === 1 && schedule.startsWith('@'))) return schedule;
  return '*/15 * * * *';
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
  const crontab = `${crontabSchedule(job.schedule)} ${curl} ${url}/start; /path/to/command; ${curl} ${url}/$?`;
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
        <code aria-label="Crontab line">{crontab}</code>
      </pre>
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
