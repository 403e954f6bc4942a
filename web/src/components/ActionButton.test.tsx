import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../api/client';
import { SessionContext, type Session } from '../auth/session';
import { ActionButton } from './ActionButton';

const session = (scope: 'read' | 'write'): Session => ({
  api: createApiClient({ key: () => null, onUnauthorized: () => {} }),
  me: { keyId: 3, name: 'wallboard', scope, projectId: null, expiresAt: null },
  canWrite: scope !== 'read',
  readOnlyReason: 'The key "wallboard" can only read: this needs a write key.',
  hasKey: true,
  signOut: () => {},
});

describe('ActionButton', () => {
  it('works for a key that may write', () => {
    const onClick = vi.fn();
    render(
      <SessionContext.Provider value={session('write')}>
        <ActionButton onClick={onClick}>Trigger run</ActionButton>
      </SessionContext.Provider>,
    );
    const button = screen.getByRole('button', { name: 'Trigger run' }) as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledOnce();
  });

  it('stays visible for a read key, disabled, saying why', () => {
    const onClick = vi.fn();
    render(
      <SessionContext.Provider value={session('read')}>
        <ActionButton onClick={onClick}>Trigger run</ActionButton>
      </SessionContext.Provider>,
    );
    const button = screen.getByRole('button', { name: 'Trigger run' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toBe('The key "wallboard" can only read: this needs a write key.');
    fireEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();
  });
});
