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
