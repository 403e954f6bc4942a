import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap, unwrapEmpty, type ChannelCreate, type ChannelUpdate } from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import { useSession } from '../../auth/session';

/** Every channel this key may see (its project's, for a project key), oldest first, secrets masked. */
export function useChannels() {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.channels.list(),
    queryFn: () => unwrap(api.GET('/channels')),
    select: (list) => list.data,
    // A channel the dispatcher disables shows up within the minute.
    refetchInterval: 60_000,
  });
}

/** A channel's 50 newest deliveries, newest first, while `open`. */
export function useChannelDeliveries(id: number, open: boolean) {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.channels.deliveries(id),
    queryFn: () =>
      unwrap(api.GET('/channels/{id}/deliveries', { params: { path: { id: String(id) } } })),
    select: (list) => list.data,
    enabled: open,
    refetchInterval: open ? 15_000 : false,
  });
}

export interface JobChoice {
  id: number;
  name: string;
  projectId: number;
}

/** The jobs a channel can be limited to (the first 200 by name: the API's `jobIds` takes 100). */
export function useJobChoices() {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.jobs.choices(),
    queryFn: () => unwrap(api.GET('/jobs', { params: { query: { limit: '200', sort: 'name' } } })),
    select: (page): JobChoice[] =>
      page.data.map(({ id, name, projectId }) => ({ id, name, projectId })),
    staleTime: 30_000,
  });
}

/** A channel changed: its list, deliveries and every job page's "Notifies" are stale. */
function useInvalidateChannels() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.channels.all() });
}

export function useCreateChannel() {
  const { api } = useSession();
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: (body: ChannelCreate) => unwrap(api.POST('/channels', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateChannel(id: number) {
  const { api } = useSession();
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: (body: ChannelUpdate) =>
      unwrap(api.PATCH('/channels/{id}', { params: { path: { id: String(id) } }, body })),
    onSuccess: invalidate,
  });
}

export function useDeleteChannel(id: number) {
  const { api } = useSession();
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: () =>
      unwrapEmpty(api.DELETE('/channels/{id}', { params: { path: { id: String(id) } } })),
    onSuccess: invalidate,
  });
}

/** Sends a test message now; answers the delivery after its first attempt (the receiver's word). */
export function useTestChannel(id: number) {
  const { api } = useSession();
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST('/channels/{id}/test', { params: { path: { id: String(id) } } })),
    onSuccess: invalidate,
  });
}
