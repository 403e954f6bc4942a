import type { Job, RunStatus } from '../api/client';

/** Icon and word for each status: never colour alone. */
export const STATUS_LOOK: Record<RunStatus, { icon: string; label: string }> = {
  PENDING: { icon: '○', label: 'Pending' },
  RUNNING: { icon: '◔', label: 'Running' },
  SUCCESS: { icon: '✓', label: 'Success' },
  FAILED: { icon: '✕', label: 'Failed' },
  CANCELLED: { icon: '⊘', label: 'Cancelled' },
};

export function StatusBadge({ status }: { status: RunStatus | null }) {
  if (status === null)
    return (
      <span className="badge badge-none">
        <span aria-hidden="true">–</span> No runs
      </span>
    );
  const look = STATUS_LOOK[status];
  return (
    <span className={`badge badge-${status.toLowerCase()}`} data-status={status}>
      <span aria-hidden="true">{look.icon}</span> {look.label}
    </span>
  );
}

/**
 * "Slow": the run took (or, running, has taken) more than 3x its job's p95. Icon and word, with
 * the rule in its title; nothing for a run that is not slow.
 */
export function SlowBadge({ slow }: { slow: boolean }) {
  if (!slow) return null;
  return (
    <span className="badge badge-slow" title="Took more than 3× the job's p95 duration">
      <span aria-hidden="true">◷</span> Slow
    </span>
  );
}

export type JobHealth = Job['health'];

/** Icon, word and meaning of each job health (docs/alerts.md): never colour alone. */
export const HEALTH_LOOK: Record<JobHealth, { icon: string; label: string; title: string }> = {
  new: { icon: '○', label: 'New', title: 'Never ran' },
  up: { icon: '✓', label: 'Up', title: 'Ran as expected' },
  late: { icon: '◔', label: 'Late', title: 'The expected run has not started within the grace' },
  down: {
    icon: '✕',
    label: 'Down',
    title: 'The last run failed, or the expected run is late past a second grace',
  },
  paused: { icon: '⊘', label: 'Paused', title: 'Archived: nothing is expected of it' },
};

/** The job's health (new, up, late, down, paused), derived by the API from its schedule and runs. */
export function HealthBadge({ health }: { health: JobHealth }) {
  const look = HEALTH_LOOK[health];
  return (
    <span className={`badge badge-health-${health}`} data-health={health} title={look.title}>
      <span aria-hidden="true">{look.icon}</span> {look.label}
    </span>
  );
}
