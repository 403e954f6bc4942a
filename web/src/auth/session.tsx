import { createContext, useContext } from 'react';
import type { ApiClient, CurrentKey } from '../api/client';

export interface Session {
  api: ApiClient;
  me: CurrentKey;
  canWrite: boolean;
  /** Why actions are disabled, shown on hover. */
  readOnlyReason: string;
  /** A key is in use (false when the server needs none: AUTH=off). */
  hasKey: boolean;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <AuthGate>');
  return session;
}
