import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import { useSession } from '../../auth/session';

/** One project with its retention in effect and its runs now (GET /api/projects/{id}). */
export function useProject(id: number | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.project(id ?? 0),
    queryFn: () => unwrap(api.GET('/projects/{id}', { params: { path: { id: String(id) } } })),
    enabled: id !== undefined,
    // Counting its runs is a page's read, not a poll's: once a minute is plenty.
    staleTime: 60_000,
  });
}

/** Sets a project's retention (admin keys): a number of days, 0 for all, null for the server's. */
export function useSetRetention(id: number) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (retentionDays: number | null) =>
      unwrap(
        api.PATCH('/projects/{id}', {
          params: { path: { id: String(id) } },
          body: { retentionDays },
        }),
      ),
    onSuccess: (project) => {
      queryClient.setQueryData(queryKeys.project(id), project);
      return queryClient.invalidateQueries({ queryKey: queryKeys.projects() });
    },
  });
}

/** Turns a project's badges on, or rotates its badge key (admin keys). */
export function useRotateBadgeKey(id: number) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST('/projects/{id}/badge-key', { params: { path: { id: String(id) } } })),
    onSuccess: (project) => {
      queryClient.setQueryData(queryKeys.project(id), project);
      return queryClient.invalidateQueries({ queryKey: queryKeys.projects() });
    },
  });
}
