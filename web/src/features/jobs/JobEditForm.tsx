import { useId, useState } from 'react';
import type { Job } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useUpdateJob } from './api';

/** Edit a job's name, description and type. */
export function JobEditForm({ job, onDone }: { job: Job; onDone(): void }) {
  const id = useId();
  const update = useUpdateJob(job.id);
  const [name, setName] = useState(job.name);
  const [description, setDescription] = useState(job.description ?? '');
  const [type, setType] = useState(job.type ?? '');
  return (
    <form
      className="card edit-form"
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate(
          { name, description: description.trim() || null, type: type.trim() || null },
          { onSuccess: onDone },
        );
      }}
    >
      <label htmlFor={`${id}-name`}>Name</label>
      <input
        id={`${id}-name`}
        value={name}
        required
        maxLength={200}
        onChange={(e) => setName(e.target.value)}
      />
      <label htmlFor={`${id}-type`}>Type</label>
      <input
        id={`${id}-type`}
        value={type}
        maxLength={100}
        onChange={(e) => setType(e.target.value)}
      />
      <label htmlFor={`${id}-description`}>Description</label>
      <textarea
        id={`${id}-description`}
        value={description}
        maxLength={2000}
        rows={3}
        onChange={(e) => setDescription(e.target.value)}
      />
      <ErrorNote error={update.error} />
      <div className="button-row">
        <button type="submit" className="primary" disabled={update.isPending}>
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
