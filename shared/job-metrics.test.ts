import { describe, expect, it } from 'vitest';
import { jobUp } from './job-metrics.js';

describe('jobUp (chronotrack_job_up)', () => {
  const at = (iso: string) => new Date(iso);
  const succeeded = {
    lastFinishedStatus: 'SUCCESS' as const,
    lastSuccessAt: at('2026-01-01T10:00:00Z'),
  };

  it('follows the last finished run while the recorded health is not late or down', () => {
    for (const recordedHealth of [null, 'new', 'up', 'paused'] as const) {
      expect(jobUp({ ...succeeded, recordedHealth, healthChangedAt: null })).toBe(1);
    }
    for (const lastFinishedStatus of ['FAILED', 'CANCELLED', null] as const) {
      expect(
        jobUp({
          lastFinishedStatus,
          lastSuccessAt: null,
          recordedHealth: 'up',
          healthChangedAt: null,
        }),
      ).toBe(0);
    }
  });

  it('is 0 when late or down was recorded after the last success, 1 for a success after it', () => {
    for (const recordedHealth of ['late', 'down'] as const) {
      const recorded = (iso: string) =>
        jobUp({ ...succeeded, recordedHealth, healthChangedAt: at(iso) });
      expect(recorded('2026-01-01T11:00:00Z')).toBe(0);
      expect(recorded('2026-01-01T10:00:00Z')).toBe(0);
      expect(recorded('2026-01-01T09:59:59Z')).toBe(1);
    }
  });
});
