/**
 * One query-key factory per resource: every cache entry the dashboard reads is named here, so an
 * invalidation after a change names exactly what it makes stale.
 */
export const queryKeys = {
  me: () => ['me'] as const,
  projects: () => ['projects'] as const,
  project: (id: number) => ['projects', 'detail', id] as const,
  jobs: {
    all: () => ['jobs'] as const,
    names: () => ['jobs', 'names'] as const,
    /** The jobs a channel can be limited to, by name. */
    choices: () => ['jobs', 'choices'] as const,
    summaries: (filters: Record<string, string | undefined>) =>
      ['jobs', 'summaries', filters] as const,
    detail: (id: number) => ['jobs', 'detail', id] as const,
    stats: (id: number) => ['jobs', 'stats', id] as const,
    chart: (id: number) => ['jobs', 'chart', id] as const,
  },
  runs: {
    all: () => ['runs'] as const,
    list: (filters: Record<string, unknown>) => ['runs', 'list', filters] as const,
    detail: (id: number) => ['runs', 'detail', id] as const,
  },
  channels: {
    all: () => ['channels'] as const,
    list: () => ['channels', 'list'] as const,
    deliveries: (id: number) => ['channels', 'deliveries', id] as const,
  },
};
