import { useId } from 'react';
import { useSearchParams } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { useJobNames, useRuns, type RunFilters } from './api';
import { JobRunList, parseSort, RUN_SORTS } from './JobRunList';
import { parseStatuses, StatusChips } from './StatusChips';

/**
 * Status chips, sort, and the run table, all in the URL (`?status=FAILED&sort=-durationMs`): a
 * reload or a shared link shows the same list. Used by the job page (one job) and /runs.
 */
export function RunsSection({
  jobId,
  extraFilters = {},
}: {
  jobId?: number;
  extraFilters?: Omit<RunFilters, 'jobId' | 'status' | 'sort'>;
}) {
  const id = useId();
  const [search, setSearch] = useSearchParams();
  const status = parseStatuses(search.getAll('status'));
  const sort = parseSort(search.get('sort'));
  const filters: RunFilters = { jobId, status, sort, ...extraFilters };
  const runs = useRuns(filters);
  const names = useJobNames();
  const list = runs.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <section className="runs-section" aria-label="Runs">
      <div className="run-controls">
        <StatusChips
          selected={status}
          onChange={(next) => setSearch({ status: next.length ? next.join(',') : undefined })}
        />
        <label htmlFor={`${id}-sort`}>Sort</label>
        <select
          id={`${id}-sort`}
          value={sort}
          onChange={(event) =>
            setSearch({
              sort: event.target.value === '-createdAt' ? undefined : event.target.value,
            })
          }
        >
          {RUN_SORTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={runs.error} />
      {runs.isPending ? (
        <p className="muted">Loading runs…</p>
      ) : (
        <JobRunList
          // A new list for new filters: paging and held rows start over.
          key={JSON.stringify(filters)}
          runs={list}
          sort={sort}
          hasMore={runs.hasNextPage}
          loadingMore={runs.isFetchingNextPage}
          onMore={() => void runs.fetchNextPage()}
          jobNames={jobId === undefined ? (names.data ?? new Map()) : undefined}
        />
      )}
    </section>
  );
}
