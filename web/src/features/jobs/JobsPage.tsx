import { useCallback, useMemo } from 'react';
import { useSearchParams } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { useJobSummaries, useProjects, type JobFilters as Filters } from './api';
import { EmptyJobs } from './EmptyJobs';
import { JobCard } from './JobCard';
import { JobFilters } from './JobFilters';
import { ProjectRetention } from '../projects/ProjectRetention';

/** `/`: every job's health at a glance. Filters live in the URL. */
export function JobsPage() {
  const [search, setSearch] = useSearchParams();
  const filters: Filters = {
    q: search.get('q') ?? undefined,
    type: search.get('type') ?? undefined,
    projectId: search.get('project') ?? undefined,
    archived: search.get('archived') === 'all' ? 'all' : undefined,
    health: search.get('health') ?? undefined,
  };
  const summaries = useJobSummaries(filters);
  const projects = useProjects();
  const projectNames = useMemo(
    () => new Map((projects.data?.data ?? []).map((p) => [p.id, p.name])),
    [projects.data],
  );
  const onChange = useCallback(
    (changes: Partial<Record<keyof Filters, string | undefined>>) => {
      const { projectId, ...rest } = changes;
      setSearch({ ...rest, ...('projectId' in changes ? { project: projectId } : {}) });
    },
    [setSearch],
  );
  const jobs = summaries.data?.pages.flatMap((page) => page.data) ?? [];
  const filtered = Boolean(
    filters.q || filters.type || filters.projectId || filters.archived || filters.health,
  );

  return (
    <main>
      <div className="page-head">
        <h1>Jobs</h1>
        {summaries.isFetching ? <span className="muted small">refreshing…</span> : null}
      </div>
      <JobFilters filters={filters} projects={projects.data?.data ?? []} onChange={onChange} />
      {filters.projectId ? <ProjectRetention projectId={Number(filters.projectId)} /> : null}
      <ErrorNote error={summaries.error} />
      {summaries.isPending ? (
        <p className="muted">Loading jobs…</p>
      ) : jobs.length === 0 ? (
        <EmptyJobs filtered={filtered} />
      ) : (
        <div className="job-grid">
          {jobs.map((summary) => (
            <JobCard
              key={summary.job.id}
              summary={summary}
              projectName={projectNames.get(summary.job.projectId)}
            />
          ))}
        </div>
      )}
      {summaries.hasNextPage ? (
        <button
          type="button"
          className="more"
          onClick={() => void summaries.fetchNextPage()}
          disabled={summaries.isFetchingNextPage}
        >
          Show more jobs
        </button>
      ) : null}
    </main>
  );
}
