import { useId, useState } from 'react';
import { ApiError, type JobRun, type RunStatus } from '../../api/client';
import { ActionButton } from '../../components/ActionButton';
import { useUpdateRun, type RunChange } from './api';

/** The moves the status machine allows from each status (the server has the last word: 409). */
const MOVES: Record<RunStatus, Array<['RUNNING' | 'SUCCESS' | 'FAILED' | 'CANCELLED', string]>> = {
  PENDING: [
    ['RUNNING', 'Start'],
    ['CANCELLED', 'Cancel'],
  ],
  RUNNING: [
    ['SUCCESS', 'Mark succeeded'],
    ['FAILED', 'Mark failed'],
    ['CANCELLED', 'Cancel'],
  ],
  SUCCESS: [],
  FAILED: [],
  CANCELLED: [],
};

const explain = (error: unknown) => {
  if (error instanceof ApiError && error.status === 409)
    return `Not applied: ${error.message} The run is shown as it is now.`;
  return error instanceof Error ? error.message : String(error);
};

export function RunActions({ run }: { run: JobRun }) {
  const id = useId();
  const update = useUpdateRun(run.id);
  const [failing, setFailing] = useState(false);
  const [message, setMessage] = useState('');
  const moves = MOVES[run.status];
  if (moves.length === 0)
    return <p className="muted">This run is finished: its status can no longer change.</p>;

  const apply = (change: RunChange) =>
    update.mutate(change, {
      onSuccess: () => {
        setFailing(false);
        setMessage('');
      },
    });

  return (
    <div className="run-actions">
      <div className="button-row">
        {moves.map(([status, label]) => (
          <ActionButton
            key={status}
            className={status === 'FAILED' ? 'danger' : undefined}
            disabled={update.isPending}
            onClick={() => (status === 'FAILED' ? setFailing(true) : apply({ status }))}
          >
            {label}
          </ActionButton>
        ))}
      </div>
      {failing ? (
        <form
          className="fail-form"
          onSubmit={(event) => {
            event.preventDefault();
            apply({ status: 'FAILED', errorMessage: message.trim() || null });
          }}
        >
          <label htmlFor={`${id}-message`}>Error message</label>
          <textarea
            id={`${id}-message`}
            value={message}
            maxLength={10_000}
            rows={3}
            onChange={(event) => setMessage(event.target.value)}
          />
          <div className="button-row">
            <button type="submit" className="danger" disabled={update.isPending}>
              Confirm failure
            </button>
            <button type="button" onClick={() => setFailing(false)}>
              Back
            </button>
          </div>
        </form>
      ) : null}
      {update.error ? (
        <p role="alert" className="error-note">
          {explain(update.error)}
        </p>
      ) : null}
    </div>
  );
}
