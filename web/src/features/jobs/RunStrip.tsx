import type { RecentRun } from '../../api/client';
import { Link } from '../../app/router';
import { STATUS_LOOK } from '../../components/StatusBadge';
import { exactUtc, formatDuration } from '../../lib/format';

/**
 * A job's newest runs, oldest on the left: colour and icon by status, height by duration (runs
 * without one are drawn short). Each bar links to its run.
 */
export function RunStrip({ runs }: { runs: RecentRun[] }) {
  if (runs.length === 0) return <p className="strip-empty muted">No runs yet</p>;
  const longest = Math.max(1, ...runs.map((run) => run.durationMs ?? 0));
  return (
    <ol className="strip" aria-label={`Last ${runs.length} runs, oldest first`}>
      {[...runs].reverse().map((run) => {
        const look = STATUS_LOOK[run.status];
        const height =
          run.durationMs === null ? 30 : 30 + Math.round((70 * run.durationMs) / longest);
        const label = `Run ${run.id}: ${look.label}, ${formatDuration(run.durationMs)}, ${exactUtc(run.createdAt)}`;
        return (
          <li key={run.id}>
            <Link
              to={`/runs/${run.id}`}
              className={`bar bar-${run.status.toLowerCase()}`}
              style={{ height: `${height}%` }}
              aria-label={label}
              title={label}
              // A pointer shortcut: 30 tab stops per card would bury the page for a keyboard,
              // which reaches every run through the job's link and its run table instead.
              tabIndex={-1}
            >
              <span aria-hidden="true">{look.icon}</span>
            </Link>
          </li>
        );
      })}
    </ol>
  );
}
