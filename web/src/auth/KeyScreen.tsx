import { useId, useState, type FormEvent } from 'react';
import type { KeyPlace } from './key-store';

interface Props {
  /** Why the key is asked for: first visit, or the reason the server refused the last one. */
  reason: string | null;
  /** Checks the key; resolves to an error message, or null when it was accepted. */
  onSubmit(key: string, place: KeyPlace): Promise<string | null>;
}

/** Asks for an API key and where to keep it (this tab, or this device). */
export function KeyScreen({ reason, onSubmit }: Props) {
  const [key, setKey] = useState('');
  const [place, setPlace] = useState<KeyPlace>('session');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Enter an API key.');
      return;
    }
    setBusy(true);
    setError(await onSubmit(trimmed, place));
    setBusy(false);
  }

  return (
    <main className="key-screen">
      <form className="card key-card" onSubmit={submit} aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`}>ChronoTrack</h1>
        <p>{reason ?? 'This server needs an API key.'}</p>
        <label htmlFor={`${id}-key`}>API key</label>
        <input
          id={`${id}-key`}
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="ct_…"
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <fieldset>
          <legend>Remember it</legend>
          <label>
            <input
              type="radio"
              name="place"
              checked={place === 'session'}
              onChange={() => setPlace('session')}
            />{' '}
            For this session only
          </label>
          <label>
            <input
              type="radio"
              name="place"
              checked={place === 'device'}
              onChange={() => setPlace('device')}
            />{' '}
            On this device
          </label>
        </fieldset>
        {error ? (
          <p id={`${id}-error`} role="alert" className="error-note">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          Continue
        </button>
        <p className="muted small">
          A <code>read</code> key shows everything; changing jobs and runs needs a{' '}
          <code>write</code> key. The key stays in this browser and is sent only to this server.
        </p>
      </form>
    </main>
  );
}
