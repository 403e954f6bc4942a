import type { JobSummary } from '../../api/client';
import { Link } from '../../app/router';
import { HealthBadge, StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { formatDuration, formatPercent } from '../../lib/format';
import { RunStrip } from './RunStrip';

/** One job on the jobs page: its last run, its health over the window, and its recent runs. */
export function JobCard({ summary, projectName }: { summary: JobSummary; projectName?: string }) {
  const { job, recentRuns, stats } = summary;
  const last = recentRuns[0] ?? null;
  return (
    <article className="card job-card" aria-labelledby={`job-${job.id}-name`}>
      <header className="job-card-head">
        <h2 id={`job-${job.id}-name`}>
          <Link to={`/jobs/${job.id}`}>{job.name}</Link>
        </h2>
        <span className="job-card-badges">
          <HealthBadge health={job.health} />
          <StatusBadge status={last?.status ?? null} />
        </span>
      </header>
      <p className="job-meta muted">
        <span>{job.type ?? 'no type'}</span>
        <span>·</span>
        <span>{projectName ?? `project ${job.projectId}`}</span>
        {job.schedule ? (
          <>
            <span>·</span>
            <span title={job.timezone ?? 'UTC'}>
              <code>{job.schedule}</code>
            </span>
          </>
        ) : null}
        {job.archived ? (
          <>
            <span>·</span>
            <span className="tag">archived</span>
          </>
        ) : null}
      </p>
      <dl className="job-figures">
        <div>
          <dt>Last run</dt>
          <dd>{last ? <Time iso={last.createdAt} relative /> : '–'}</dd>
        </div>
        <div>
          <dt>Success (7 d)</dt>
          <dd>{formatPercent(stats.successRate)}</dd>
        </div>
        <div>
          <dt>p95 duration</dt>
          <dd>{formatDuration(stats.durationMs.p95)}</dd>
        </div>
      </dl>
      <RunStrip runs={recentRuns} />
    </article>
  );
}
