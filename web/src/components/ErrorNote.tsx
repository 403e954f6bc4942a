import { ApiError } from '../api/client';

/** What went wrong, in the server's words (its problem detail), with the request id to quote. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.problem.requestId : undefined;
  return (
    <p role="alert" className="error-note">
      {message}
      {requestId ? <span className="muted"> (request {requestId})</span> : null}
    </p>
  );
}
