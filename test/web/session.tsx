import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createApiClient } from '../../web/src/api/client';
import { PreferencesProvider } from '../../web/src/app/preferences';
import { SessionContext, type Session } from '../../web/src/auth/session';

/** A signed-in session with a key of `scope`, for components that read it (no request is made). */
export const testSession = (scope: 'read' | 'write' | 'admin'): Session => ({
  api: createApiClient({ key: () => null, onUnauthorized: () => {} }),
  me: { keyId: 3, name: 'ops', scope, projectId: null, expiresAt: null },
  canWrite: scope !== 'read',
  readOnlyReason: 'The key "ops" can only read: this needs a write key.',
  hasKey: true,
  signOut: () => {},
});

/** Renders inside the providers a page has: preferences, a query client, and a session. */
export const renderInSession = (ui: ReactElement, scope: 'read' | 'write' | 'admin') =>
  render(
    <PreferencesProvider>
      <QueryClientProvider
        client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
      >
        <SessionContext.Provider value={testSession(scope)}>{ui}</SessionContext.Provider>
      </QueryClientProvider>
    </PreferencesProvider>,
  );
