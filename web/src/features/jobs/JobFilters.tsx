import { useEffect, useId, useState } from 'react';
import type { JobFilters as Filters } from './api';

interface Props {
  filters: Filters;
  projects: Array<{ id: number; name: string }>;
  onChange(changes: Partial<Record<keyof Filters, string | undefined>>): void;
}

/**
 * The health choices: the API's `?health=` values. "Needs attention" is the question a person
 * opening the page after an alert asks: which jobs are late or down.
 */
const HEALTH_CHOICES: Array<{ value: string; label: string }> = [
  { value: '', label: 'Any health' },
  { value: 'down,late', label: 'Needs attention (down or late)' },
  { value: 'down', label: 'Down' },
  { value: 'late', label: 'Late' },
  { value: 'up', label: 'Up' },
  { value: 'new', label: 'New (never ran)' },
  { value: 'paused', label: 'Paused (archived)' },
];

/** Search by name, type, project, health, archived: each change goes to the URL (see JobsPage). */
export function JobFilters({ filters, projects, onChange }: Props) {
  const id = useId();
  const [q, setQ] = useState(filters.q ?? '');
  const [type, setType] = useState(filters.type ?? '');
  // Typing is pushed after a pause, not on every key.
  useEffect(() => {
    if (q === (filters.q ?? '') && type === (filters.type ?? '')) return;
    const timer = setTimeout(() => onChange({ q, type }), 250);
    return () => clearTimeout(timer);
  }, [q, type, filters.q, filters.type, onChange]);

  return (
    <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
      <label htmlFor={`${id}-q`}>Search jobs</label>
      <input
        id={`${id}-q`}
        type="search"
        value={q}
        placeholder="Name contains…"
        onChange={(event) => setQ(event.target.value)}
      />
      <label htmlFor={`${id}-type`}>Type</label>
      <input
        id={`${id}-type`}
        value={type}
        placeholder="any"
        onChange={(event) => setType(event.target.value)}
      />
      <label htmlFor={`${id}-project`}>Project</label>
      <select
        id={`${id}-project`}
        value={filters.projectId ?? ''}
        onChange={(event) => onChange({ projectId: event.target.value })}
      >
        <option value="">All projects</option>
        {projects.map((project) => (
          <option key={project.id} value={String(project.id)}>
            {project.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-health`}>Health</label>
      <select
        id={`${id}-health`}
        value={filters.health ?? ''}
        onChange={(event) => {
          const health = event.target.value || undefined;
          // Paused jobs are the archived ones, which the list leaves out unless asked.
          onChange(health === 'paused' ? { health, archived: 'all' } : { health });
        }}
      >
        {/* A value from a shared link that is not one of the choices is still shown. */}
        {filters.health && !HEALTH_CHOICES.some((choice) => choice.value === filters.health) ? (
          <option value={filters.health}>{filters.health}</option>
        ) : null}
        {HEALTH_CHOICES.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      <label className="check">
        <input
          type="checkbox"
          checked={filters.archived === 'all'}
          onChange={(event) => onChange({ archived: event.target.checked ? 'all' : undefined })}
        />{' '}
        Show archived
      </label>
    </form>
  );
}
