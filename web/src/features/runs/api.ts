import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  type InfiniteData,
} from '@tanstack/react-query';
import { unwrap, type JobRunPage, type RunSort, type RunStatus } from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import { useSession } from '../../auth/session';
import { liveInterval } from '../../lib/live';
import { useInvalidateAll } from '../jobs/api';

export interface RunFilters {
  jobId?: number;
  status?: RunStatus[];
  sort?: RunSort;
  jobType?: string;
  createdAfter?: string;
  createdBefore?: string;
  startedAfter?: string;
  startedBefore?: string;
  finishedAfter?: string;
  finishedBefore?: string;
}

const PAGE_SIZE = 50;

/**
 * A run list, one page per request, newest first by default. The filters are the query key, so a
 * change of filter starts again from the first page (cursors belong to one list).
 */
export function useRuns(filters: RunFilters) {
  const { api } = useSession();
  return useInfiniteQuery({
    queryKey: queryKeys.runs.list({ ...filters }),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const query = {
        limit: String(PAGE_SIZE),
        cursor: pageParam,
        status: filters.status?.length ? filters.status.join(',') : undefined,
        sort: filters.sort,
        jobType: filters.jobType || undefined,
        createdAfter: filters.createdAfter,
        createdBefore: filters.createdBefore,
        startedAfter: filters.startedAfter,
        startedBefore: filters.startedBefore,
        finishedAfter: filters.finishedAfter,
        finishedBefore: filters.finishedBefore,
      };
      return filters.jobId === undefined
        ? unwrap(api.GET('/runs', { params: { query } }))
        : unwrap(
            api.GET('/jobs/{id}/runs', {
              params: { path: { id: String(filters.jobId) }, query },
            }),
          );
    },
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: liveInterval((data: InfiniteData<JobRunPage>) =>
      data.pages.flatMap((page) => page.data.map((run) => run.status)),
    ),
  });
}

export function useRun(id: number) {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.runs.detail(id),
    queryFn: () => unwrap(api.GET('/runs/{runId}', { params: { path: { runId: String(id) } } })),
    refetchInterval: liveInterval((run: { status: RunStatus }) => [run.status]),
  });
}

/** Job names for a run list that spans jobs: one request, whatever the number of runs. */
export function useJobNames() {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.jobs.names(),
    queryFn: () =>
      unwrap(api.GET('/jobs', { params: { query: { archived: 'all', limit: '200' } } })),
    select: (page) => new Map(page.data.map((job) => [job.id, job.name])),
    staleTime: 30_000,
  });
}

export type RunChange =
  | { status: 'RUNNING' | 'SUCCESS' | 'CANCELLED' }
  | { status: 'FAILED'; errorMessage: string | null };

export function useUpdateRun(runId: number) {
  const { api } = useSession();
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (change: RunChange) =>
      unwrap(
        api.PATCH('/runs/{runId}', { params: { path: { runId: String(runId) } }, body: change }),
      ),
    onSettled: invalidate,
  });
}
