import { useEffect, useId, useState } from 'react';
import { usePreferences, type TimeZone } from '../../app/preferences';
import { useSearchParams } from '../../app/router';
import { RunsSection } from './RunsSection';

/** `datetime-local` value ⇄ ISO instant, in the zone the user reads times in. */
const toIso = (local: string, zone: TimeZone) =>
  local ? new Date(zone === 'utc' ? `${local}:00Z` : local).toISOString() : undefined;
const toLocal = (iso: string | null, zone: TimeZone) => {
  if (!iso) return '';
  const date = new Date(iso);
  if (zone === 'utc') return iso.slice(0, 16);
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
};

/** `/runs`: every run across jobs, newest first: the cross-job timeline. */
export function RunsPage() {
  const id = useId();
  const { timeZone } = usePreferences();
  const [search, setSearch] = useSearchParams();
  const [jobType, setJobType] = useState(search.get('jobType') ?? '');
  useEffect(() => {
    if (jobType === (search.get('jobType') ?? '')) return;
    const timer = setTimeout(() => setSearch({ jobType }), 250);
    return () => clearTimeout(timer);
  }, [jobType, search, setSearch]);
  const createdAfter = search.get('createdAfter') ?? undefined;
  const createdBefore = search.get('createdBefore') ?? undefined;
  return (
    <main>
      <div className="page-head">
        <h1>Runs</h1>
      </div>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor={`${id}-type`}>Job type</label>
        <input
          id={`${id}-type`}
          value={jobType}
          placeholder="any"
          onChange={(event) => setJobType(event.target.value)}
        />
        <label htmlFor={`${id}-after`}>Created after</label>
        <input
          id={`${id}-after`}
          type="datetime-local"
          value={toLocal(createdAfter ?? null, timeZone)}
          onChange={(event) => setSearch({ createdAfter: toIso(event.target.value, timeZone) })}
        />
        <label htmlFor={`${id}-before`}>Created before</label>
        <input
          id={`${id}-before`}
          type="datetime-local"
          value={toLocal(createdBefore ?? null, timeZone)}
          onChange={(event) => setSearch({ createdBefore: toIso(event.target.value, timeZone) })}
        />
      </form>
      <RunsSection
        extraFilters={{ jobType: search.get('jobType') ?? undefined, createdAfter, createdBefore }}
      />
    </main>
  );
}
