import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { PreferencesProvider } from '../../web/src/app/preferences';

/** Renders with the providers every page has (theme and time zone). */
export const renderWithPreferences = (ui: ReactElement) =>
  render(<PreferencesProvider>{ui}</PreferencesProvider>);

export const iso = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
