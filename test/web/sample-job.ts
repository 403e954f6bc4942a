import type { Job } from '../../web/src/api/client';

/** A job as the API returns it to a write key (ping URL included), for component tests. */
export const sampleJob = (overrides: Partial<Job> = {}): Job => ({
  id: 7,
  projectId: 1,
  key: 'nightly-backup',
  name: 'Nightly backup',
  description: null,
  type: 'backup',
  archived: false,
  heartbeatTimeoutSeconds: null,
  maxDurationSeconds: null,
  pendingTimeoutSeconds: null,
  pingUuid: '5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10',
  pingUrl: '/ping/5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10',
  schedule: null,
  timezone: null,
  graceSeconds: null,
  health: 'up',
  nextExpectedAt: null,
  lastRunAt: null,
  createdAt: '2026-11-23T09:12:30.000Z',
  updatedAt: '2026-11-23T09:12:30.000Z',
  ...overrides,
});
