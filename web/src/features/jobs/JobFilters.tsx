import { useEffect, useId, useState } from 'react';
import type { JobFilters as Filters } from './api';

interface Props {
  filters: Filters;
  projects: Array<{ id: number; name: string }>;
  onChange(changes: Partial<Record<keyof Filters, string | undefined>>): void;
}

/** Search by name, type, project, archived: each change goes to the URL (see JobsPage). */
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
