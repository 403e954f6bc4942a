import { useState, type FormEvent } from 'react';
import { useSession } from '../../auth/session';
import { ErrorNote } from '../../components/ErrorNote';
import { Time } from '../../components/Time';
import { useProject, useSetRetention } from './api';
import { retentionText } from './retention';

/**
 * The chosen project's retention on the jobs page: how long its finished runs are kept, how many
 * runs it has and since when. An admin key can change it (days, or the server's default).
 */
export function ProjectRetention({ projectId }: { projectId: number }) {
  const { me } = useSession();
  const project = useProject(projectId);
  const [editing, setEditing] = useState(false);
  if (!project.data) return <ErrorNote error={project.error} />;
  const { name, runs } = project.data;
  return (
    <section className="project-retention" aria-label={`Retention of ${name}`}>
      <p>
        <strong>{name}</strong>: {retentionText(project.data)}. {runs.count.toLocaleString()}{' '}
        {runs.count === 1 ? 'run' : 'runs'}
        {runs.oldestAt ? (
          <>
            , the oldest from <Time iso={runs.oldestAt} />
          </>
        ) : null}
        .{' '}
        {me.scope === 'admin' && !editing ? (
          <button type="button" className="link-button" onClick={() => setEditing(true)}>
            Change retention
          </button>
        ) : null}
      </p>
      {editing ? (
        <RetentionForm
          projectId={projectId}
          days={project.data.retentionDays}
          onDone={() => setEditing(false)}
        />
      ) : null}
    </section>
  );
}

function RetentionForm({
  projectId,
  days,
  onDone,
}: {
  projectId: number;
  days: number | null;
  onDone: () => void;
}) {
  const save = useSetRetention(projectId);
  const [value, setValue] = useState(days === null ? '' : String(days));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Empty: follow the server's RUN_RETENTION_DAYS again.
    save.mutate(value.trim() === '' ? null : Number(value), { onSuccess: onDone });
  };
  return (
    <form className="retention-form" onSubmit={submit}>
      <label>
        Days to keep finished runs
        <input
          type="number"
          min={0}
          max={36500}
          step={1}
          inputMode="numeric"
          value={value}
          placeholder="server default"
          onChange={(event) => setValue(event.target.value)}
        />
      </label>
      <span className="muted small">0 keeps every run; empty follows the server.</span>
      <button type="submit" className="primary" disabled={save.isPending}>
        Save
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
      <ErrorNote error={save.error} />
    </form>
  );
}
