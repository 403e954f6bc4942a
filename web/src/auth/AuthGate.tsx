import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { ApiError, createApiClient, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { forgetKey, readKey, saveKey, type KeyPlace } from './key-store';
import { KeyScreen } from './KeyScreen';
import { SessionContext, type Session } from './session';

/**
 * Shows the key screen until the server accepts a key (or needs none: AUTH=off), then the
 * dashboard. Any 401 later (a revoked key) comes back here, with the server's reason.
 */
const NEEDS_KEY = 'This server needs an API key.';

export function AuthGate({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [hasKey, setHasKey] = useState(() => readKey() !== null);
  const [refused, setRefused] = useState<string | null>(null);

  // The key is read from the browser's storage on every request: the store is the one place it
  // lives, so a sign-out or a refusal takes effect on the next request.
  const [api] = useState(() =>
    createApiClient({
      key: readKey,
      onUnauthorized: (reason) => {
        const hadKey = readKey() !== null;
        forgetKey();
        setHasKey(false);
        // Without a key, the screen's own words; with one, the server's reason for refusing it.
        // Several requests may be refused at once: the first one says why.
        const message = hadKey ? `The server refused the key: ${reason}` : NEEDS_KEY;
        setRefused((current) => current ?? message);
      },
    }),
  );

  const me = useQuery({
    queryKey: queryKeys.me(),
    queryFn: () => unwrap(api.GET('/me')),
    enabled: refused === null,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    staleTime: 60_000,
  });

  const signOut = useCallback(() => {
    forgetKey();
    setHasKey(false);
    queryClient.clear();
    setRefused('Signed out. Enter a key to continue.');
  }, [queryClient]);

  const submitKey = useCallback(
    async (key: string, place: KeyPlace): Promise<string | null> => {
      // Checked before it is kept: a wrong key never replaces nothing with something useless.
      const response = await fetch('/api/me', { headers: { Authorization: `Bearer ${key}` } });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { detail?: string };
        return body.detail ?? `The server answered ${response.status}.`;
      }
      saveKey(key, place);
      setHasKey(true);
      queryClient.clear();
      setRefused(null);
      return null;
    },
    [queryClient],
  );

  const session = useMemo<Session | null>(() => {
    if (!me.data) return null;
    const canWrite = me.data.scope !== 'read';
    return {
      api,
      me: me.data,
      canWrite,
      readOnlyReason: `The key "${me.data.name}" can only read: this needs a write key.`,
      hasKey,
      signOut,
    };
  }, [api, me.data, signOut, hasKey]);

  if (refused !== null) return <KeyScreen reason={refused} onSubmit={submitKey} />;
  if (me.error)
    return (
      <main className="key-screen">
        <p role="alert" className="error-note">
          The server could not be reached: {me.error.message}
        </p>
      </main>
    );
  if (!session)
    return (
      <main className="key-screen" aria-busy="true">
        <p className="muted">Loading…</p>
      </main>
    );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
