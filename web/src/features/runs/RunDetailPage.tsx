import { Link } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { SlowBadge, StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { formatDuration } from '../../lib/format';
import { useJob } from '../jobs/api';
import { useRun } from './api';
import { RunActions } from './RunActions';

/** `/runs/:id`: one run's life, its error, exit code, output and metadata, and the moves it still allows. */
export function RunDetailPage({ id }: { id: number }) {
  const run = useRun(id);
  const job = useJob(run.data?.jobId ?? 0);
  if (run.error) return <ErrorNote error={run.error} />;
  if (!run.data) return <p className="muted">Loading run…</p>;
  const r = run.data;
  return (
    <main>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to={`/jobs/${r.jobId}`}>{job.data?.name ?? `Job ${r.jobId}`}</Link> / Run #{r.id}
      </nav>
      <div className="page-head">
        <h1>Run #{r.id}</h1>
        <StatusBadge status={r.status} />
        <SlowBadge slow={r.slow} />
      </div>
      <section className="card">
        <ol className="timeline" aria-label="Timeline">
          <li className="done">
            <span>Created</span> <Time iso={r.createdAt} />
          </li>
          <li className={r.startedAt ? 'done' : ''}>
            <span>Started</span> <Time iso={r.startedAt} />
          </li>
          <li className={r.finishedAt ? 'done' : ''}>
            <span>Finished</span> <Time iso={r.finishedAt} />
          </li>
        </ol>
        <dl className="facts">
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(r.durationMs)}</dd>
          </div>
          <div>
            <dt>Error message</dt>
            <dd className={r.errorMessage ? 'error-text' : 'muted'}>{r.errorMessage ?? 'none'}</dd>
          </div>
          <div>
            <dt>Exit code</dt>
            <dd className={r.exitCode === null ? 'muted' : undefined}>{r.exitCode ?? 'none'}</dd>
          </div>
        </dl>
        <h2>Output</h2>
        {r.output ? (
          <pre className="json" aria-label="Output">
            {r.output}
          </pre>
        ) : (
          <p className="muted">none</p>
        )}
        <h2>Metadata</h2>
        {r.metadata ? (
          <pre className="json">{JSON.stringify(r.metadata, null, 2)}</pre>
        ) : (
          <p className="muted">none</p>
        )}
      </section>
      <section className="card">
        <h2>Actions</h2>
        <RunActions run={r} />
      </section>
    </main>
  );
}
