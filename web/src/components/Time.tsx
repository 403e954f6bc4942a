import { usePreferences } from '../app/preferences';
import { exactUtc, formatRelative, formatTime } from '../lib/format';

/**
 * A timestamp: relative ("3 minutes ago") or in the chosen zone, with the exact UTC instant on
 * hover. `–` when there is none.
 */
export function Time({ iso, relative = false }: { iso: string | null; relative?: boolean }) {
  const { timeZone } = usePreferences();
  if (!iso) return <span className="muted">–</span>;
  return (
    <time dateTime={iso} title={exactUtc(iso)}>
      {relative ? formatRelative(iso) : formatTime(iso, timeZone)}
    </time>
  );
}
