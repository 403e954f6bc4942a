import { ApiError } from '../api/client';

/**
 * What went wrong, in the server's words (its problem detail), with the request id to quote, and
 * each field the server named (a 400's `errors`: `config.webhookUrl: must be https`), so a form
 * says which of its fields to fix.
 */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.problem.requestId : undefined;
  const fields = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  return (
    <div role="alert" className="error-note">
      <p>
        {message}
        {requestId ? <span className="muted"> (request {requestId})</span> : null}
      </p>
      {fields.length ? (
        <ul>
          {fields.map((field) => (
            <li key={`${field.path}: ${field.message}`}>
              <code>{field.path}</code>: {field.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
