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

/** Which of a run's times the range applies to: the API's `<field>After` / `<field>Before`. */
const TIME_FIELDS = [
  ['created', 'Created'],
  ['started', 'Started'],
  ['finished', 'Finished'],
] as const;
type TimeField = (typeof TIME_FIELDS)[number][0];

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
  const field: TimeField =
    TIME_FIELDS.find(([f]) => search.has(`${f}After`) || search.has(`${f}Before`))?.[0] ??
    'created';
  const after = search.get(`${field}After`) ?? undefined;
  const before = search.get(`${field}Before`) ?? undefined;
  // Moving the range to another of the run's times keeps its bounds.
  const changeField = (next: TimeField) =>
    setSearch({
      [`${field}After`]: undefined,
      [`${field}Before`]: undefined,
      [`${next}After`]: after,
      [`${next}Before`]: before,
    });
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
        <label htmlFor={`${id}-field`}>Time</label>
        <select
          id={`${id}-field`}
          value={field}
          onChange={(event) => changeField(event.target.value as TimeField)}
        >
          {TIME_FIELDS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-after`}>after</label>
        <input
          id={`${id}-after`}
          type="datetime-local"
          value={toLocal(after ?? null, timeZone)}
          onChange={(event) =>
            setSearch({ [`${field}After`]: toIso(event.target.value, timeZone) })
          }
        />
        <label htmlFor={`${id}-before`}>before</label>
        <input
          id={`${id}-before`}
          type="datetime-local"
          value={toLocal(before ?? null, timeZone)}
          onChange={(event) =>
            setSearch({ [`${field}Before`]: toIso(event.target.value, timeZone) })
          }
        />
      </form>
      <RunsSection
        extraFilters={{
          jobType: search.get('jobType') ?? undefined,
          [`${field}After`]: after,
          [`${field}Before`]: before,
        }}
      />
    </main>
  );
}
