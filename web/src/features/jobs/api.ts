import {
  keepPreviousData,
  type InfiniteData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import {
  unwrap,
  type Job,
  type JobRunPage,
  type JobStats,
  type JobSummaryPage,
} from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import { useSession } from '../../auth/session';
import { liveInterval } from '../../lib/live';

export interface JobFilters {
  q?: string;
  type?: string;
  projectId?: string;
  archived?: 'true' | 'all';
  /** Comma-separated healths, as the API takes them: `down,late`. */
  health?: string;
}

/** Jobs shown per request on the jobs page; more come with "Show more jobs". */
export const JOBS_PAGE_SIZE = 100;

/** The jobs page: one request per page of jobs, each job with its strip and stats. */
export function useJobSummaries(filters: JobFilters) {
  const { api } = useSession();
  return useInfiniteQuery({
    queryKey: queryKeys.jobs.summaries({ ...filters }),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/jobs/summaries', {
          params: {
            query: {
              limit: String(JOBS_PAGE_SIZE),
              q: filters.q || undefined,
              type: filters.type || undefined,
              projectId: filters.projectId || undefined,
              archived: filters.archived,
              health: filters.health || undefined,
              cursor: pageParam,
            },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: liveInterval((data: InfiniteData<JobSummaryPage>) =>
      data.pages.flatMap((page) => page.data.flatMap((s) => s.recentRuns.map((r) => r.status))),
    ),
  });
}

export function useProjects() {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.projects(),
    queryFn: () => unwrap(api.GET('/projects')),
    staleTime: 60_000,
  });
}

export function useJob(id: number) {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.jobs.detail(id),
    queryFn: () => unwrap(api.GET('/jobs/{id}', { params: { path: { id: String(id) } } })),
    enabled: id > 0,
  });
}

export function useJobStats(id: number) {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.jobs.stats(id),
    queryFn: () =>
      unwrap(
        api.GET('/jobs/{id}/stats', {
          params: { path: { id: String(id) }, query: { window: '7d' } },
        }),
      ),
    refetchInterval: liveInterval((stats: JobStats) =>
      stats.lastRun ? [stats.lastRun.status] : [],
    ),
  });
}

/** The newest 200 runs, for the duration chart. */
export function useChartRuns(id: number) {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.jobs.chart(id),
    queryFn: () =>
      unwrap(
        api.GET('/jobs/{id}/runs', {
          params: { path: { id: String(id) }, query: { limit: '200' } },
        }),
      ),
    refetchInterval: liveInterval((page: JobRunPage) => page.data.map((run) => run.status)),
  });
}

/** Anything about jobs and runs may have changed: refetch what is on screen. */
export function useInvalidateAll() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.jobs.all() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.runs.all() }),
    ]);
}

export function useTriggerRun(jobId: number) {
  const { api } = useSession();
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/jobs/{id}/runs', {
          params: { path: { id: String(jobId) } },
          body: { metadata: { triggeredBy: 'dashboard' } },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useUpdateJob(jobId: number) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (changes: Partial<Pick<Job, 'name' | 'description' | 'type' | 'archived'>>) =>
      unwrap(api.PATCH('/jobs/{id}', { params: { path: { id: String(jobId) } }, body: changes })),
    onSuccess: (job) => {
      queryClient.setQueryData(queryKeys.jobs.detail(jobId), job);
      return invalidate();
    },
  });
}
