import type { RunStatus } from '../../api/client';
import { STATUS_LOOK } from '../../components/StatusBadge';

const ALL: RunStatus[] = ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED'];

/** Toggle buttons, one per status: none pressed means every status. */
export function StatusChips({
  selected,
  onChange,
}: {
  selected: RunStatus[];
  onChange(statuses: RunStatus[]): void;
}) {
  return (
    <div className="chips" role="group" aria-label="Filter by status">
      {ALL.map((status) => {
        const pressed = selected.includes(status);
        return (
          <button
            key={status}
            type="button"
            className={`chip chip-${status.toLowerCase()}`}
            aria-pressed={pressed}
            onClick={() =>
              onChange(pressed ? selected.filter((s) => s !== status) : [...selected, status])
            }
          >
            <span aria-hidden="true">{STATUS_LOOK[status].icon}</span> {STATUS_LOOK[status].label}
          </button>
        );
      })}
    </div>
  );
}

export const parseStatuses = (values: string[]): RunStatus[] =>
  values
    .flatMap((value) => value.split(','))
    .filter((value): value is RunStatus => (ALL as string[]).includes(value));
