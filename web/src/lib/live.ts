import type { RunStatus } from '../api/client';

/** How often the screen refreshes: fast while something on it is still moving. */
export const ACTIVE_REFRESH_MS = 2000;
export const IDLE_REFRESH_MS = 15_000;

const ACTIVE: ReadonlySet<RunStatus> = new Set(['PENDING', 'RUNNING']);

export const isActive = (status: RunStatus): boolean => ACTIVE.has(status);

/**
 * A TanStack Query `refetchInterval`: 2 s while any run shown is PENDING or RUNNING, else 15 s.
 * Queries keep `refetchIntervalInBackground` off, so nothing is fetched while the tab is hidden.
 */
export const liveInterval =
  <T>(statuses: (data: T) => Iterable<RunStatus>) =>
  (query: { state: { data?: T } }): number => {
    const data = query.state.data;
    if (data === undefined) return IDLE_REFRESH_MS;
    for (const status of statuses(data)) if (isActive(status)) return ACTIVE_REFRESH_MS;
    return IDLE_REFRESH_MS;
  };
