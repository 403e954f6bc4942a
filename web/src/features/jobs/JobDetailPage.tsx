import { lazy, Suspense, useState } from 'react';
import { Link } from '../../app/router';
import { ActionButton } from '../../components/ActionButton';
import { ErrorNote } from '../../components/ErrorNote';
import { HealthBadge, StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { formatDuration, formatPercent } from '../../lib/format';
import { JobNotifies } from '../channels/JobNotifies';
import { RunsSection } from '../runs/RunsSection';
import { useChartRuns, useJob, useJobStats, useTriggerRun, useUpdateJob } from './api';
import { JobEditForm } from './JobEditForm';
import { JobBadge } from './JobBadge';
import { JobReporting } from './JobReporting';

const DurationChart = lazy(() => import('./DurationChart'));

/** `/jobs/:id`: the job's stats, its durations over time, its runs, and what can be done to it. */
export function JobDetailPage({ id }: { id: number }) {
  const job = useJob(id);
  const stats = useJobStats(id);
  const chart = useChartRuns(id);
  const trigger = useTriggerRun(id);
  const update = useUpdateJob(id);
  const [editing, setEditing] = useState(false);

  if (job.error) return <ErrorNote error={job.error} />;
  if (!job.data) return <p className="muted">Loading job…</p>;
  const j = job.data;
  const s = stats.data;
  return (
    <main>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/">Jobs</Link> / {j.name}
      </nav>
      <div className="page-head">
        <h1>{j.name}</h1>
        {j.archived ? <span className="tag">archived</span> : null}
        <div className="button-row push">
          <ActionButton
            className="primary"
            disabled={trigger.isPending || j.archived}
            title={j.archived ? 'An archived job accepts no new runs.' : undefined}
            onClick={() => trigger.mutate()}
          >
            Trigger run
          </ActionButton>
          <ActionButton onClick={() => setEditing(true)}>Edit</ActionButton>
          <ActionButton
            disabled={update.isPending}
            onClick={() => update.mutate({ archived: !j.archived })}
          >
            {j.archived ? 'Unarchive' : 'Archive'}
          </ActionButton>
        </div>
      </div>
      <p className="muted">
        <HealthBadge health={j.health} /> <code>{j.key}</code> · {j.type ?? 'no type'} ·{' '}
        {j.description ?? 'no description'}
      </p>
      {j.schedule ? (
        <p className="muted">
          Schedule <code>{j.schedule}</code> ({j.timezone ?? 'UTC'}), grace{' '}
          {formatDuration((j.graceSeconds ?? 300) * 1000)}
          {j.nextExpectedAt ? (
            <>
              {' '}
              · next run expected <Time iso={j.nextExpectedAt} relative />
            </>
          ) : null}
        </p>
      ) : null}
      <JobNotifies job={j} />
      <ErrorNote error={trigger.error ?? update.error} />
      {trigger.data ? (
        <p className="notice" role="status">
          Run <Link to={`/runs/${trigger.data.id}`}>#{trigger.data.id}</Link> created.
        </p>
      ) : null}
      {editing ? <JobEditForm job={j} onDone={() => setEditing(false)} /> : null}
      <section className="card">
        <dl className="job-figures wide">
          <div>
            <dt>Last run</dt>
            <dd>
              {s?.lastRun ? (
                <>
                  <StatusBadge status={s.lastRun.status} />{' '}
                  <Time iso={s.lastRun.createdAt} relative />
                </>
              ) : (
                '–'
              )}
            </dd>
          </div>
          <div>
            <dt>Runs (7 d)</dt>
            <dd>{s?.total ?? '–'}</dd>
          </div>
          <div>
            <dt>Success rate</dt>
            <dd>{formatPercent(s?.successRate)}</dd>
          </div>
          <div>
            <dt>p50 / p95</dt>
            <dd>
              {formatDuration(s?.durationMs.p50)} / {formatDuration(s?.durationMs.p95)}
            </dd>
          </div>
          <div>
            <dt>Last failure</dt>
            <dd>
              {s?.lastFailure ? (
                <Link to={`/runs/${s.lastFailure.id}`}>
                  <Time iso={s.lastFailure.createdAt} relative />
                </Link>
              ) : (
                'none'
              )}
            </dd>
          </div>
        </dl>
        <Suspense fallback={<div className="chart placeholder" />}>
          <DurationChart
            runs={chart.data?.data ?? []}
            p50={s?.durationMs.p50 ?? null}
            p95={s?.durationMs.p95 ?? null}
          />
        </Suspense>
      </section>
      <h2>Runs</h2>
      <RunsSection jobId={id} />
      <JobReporting job={j} />
      <JobBadge job={j} />
    </main>
  );
}
