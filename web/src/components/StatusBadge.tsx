import type { RunStatus } from '../api/client';

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
      <span aria-hidden="true">⏱</span> Slow
    </span>
  );
}
