import { useState } from 'react';
import type { JobRun, RunSort } from '../../api/client';
import { Link } from '../../app/router';
import { SlowBadge, StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { formatDuration } from '../../lib/format';

export const RUN_SORTS: ReadonlyArray<readonly [RunSort, string]> = [
  ['-createdAt', 'Newest first'],
  ['createdAt', 'Oldest first'],
  ['-durationMs', 'Longest first'],
  ['durationMs', 'Shortest first'],
  ['-finishedAt', 'Recently finished'],
];

/** A sort from the URL, if it is one of ours. */
export const parseSort = (value: string | null): RunSort =>
  RUN_SORTS.find(([sort]) => sort === value)?.[0] ?? '-createdAt';

interface Props {
  runs: JobRun[];
  sort: string;
  hasMore: boolean;
  loadingMore?: boolean;
  onMore(): void;
  /** Job names by id: shows a Job column (the cross-job list). */
  jobNames?: Map<number, string>;
}

/**
 * New runs above a list the user has scrolled do not push rows from under the pointer: they wait
 * behind an "N new runs" button. Runs have increasing ids, so "new" is an id above the newest
 * one shown (newest-first order only; other orders show every change at once).
 */
function useHeldNewRuns(runs: JobRun[], holding: boolean) {
  const top = runs.reduce((max, run) => Math.max(max, run.id), 0);
  const [accepted, setAccepted] = useState(top);
  // Adjusted while rendering (no effect, no extra paint): the first rows are never "new", and
  // nothing is held for a user who is at the top of the page anyway.
  if (top > accepted && (accepted === 0 || !holding || window.scrollY < 80)) setAccepted(top);
  const pending = holding ? runs.filter((run) => run.id > accepted).length : 0;
  return {
    visible: holding ? runs.filter((run) => run.id <= accepted) : runs,
    pending,
    showAll: () => {
      setAccepted(top);
      window.scrollTo({ top: 0 });
    },
  };
}

/** A table of runs: status, created/started/finished, duration; each row links to its run. */
export function JobRunList({ runs, sort, hasMore, loadingMore, onMore, jobNames }: Props) {
  const held = useHeldNewRuns(runs, sort === '-createdAt');
  return (
    <div className="run-list">
      {held.pending > 0 ? (
        <button type="button" className="new-runs" onClick={held.showAll}>
          {held.pending === 1 ? '1 new run' : `${held.pending} new runs`}
        </button>
      ) : null}
      {held.visible.length === 0 ? (
        <p className="empty">No runs match.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Run</th>
              {jobNames ? <th scope="col">Job</th> : null}
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Started</th>
              <th scope="col">Finished</th>
              <th scope="col" className="num">
                Duration
              </th>
            </tr>
          </thead>
          <tbody>
            {held.visible.map((run) => (
              <tr key={run.id} data-run-id={run.id}>
                <td>
                  <Link to={`/runs/${run.id}`}>#{run.id}</Link>
                </td>
                {jobNames ? (
                  <td>
                    <Link to={`/jobs/${run.jobId}`}>
                      {jobNames.get(run.jobId) ?? `Job ${run.jobId}`}
                    </Link>
                  </td>
                ) : null}
                <td>
                  <StatusBadge status={run.status} />
                  <SlowBadge slow={run.slow} />
                  {run.errorMessage ? (
                    <span className="row-error" title={run.errorMessage}>
                      {run.errorMessage}
                    </span>
                  ) : null}
                </td>
                <td>
                  <Time iso={run.createdAt} />
                </td>
                <td>
                  <Time iso={run.startedAt} />
                </td>
                <td>
                  <Time iso={run.finishedAt} />
                </td>
                <td className="num">{formatDuration(run.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore ? (
        <button type="button" className="more" onClick={onMore} disabled={loadingMore}>
          Older runs
        </button>
      ) : null}
    </div>
  );
}
