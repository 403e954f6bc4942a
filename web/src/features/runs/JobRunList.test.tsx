import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { JobRun } from '../../api/client';
import { iso, renderWithPreferences } from '../../../../test/web/render';
import { JobRunList } from './JobRunList';
import { PreferencesProvider } from '../../app/preferences';

const run = (id: number, overrides: Partial<JobRun> = {}): JobRun => ({
  id,
  jobId: 1,
  status: 'SUCCESS',
  createdAt: iso(100 - id),
  startedAt: iso(100 - id),
  finishedAt: iso(99 - id),
  durationMs: 60_000,
  errorMessage: null,
  metadata: null,
  exitCode: null,
  lastHeartbeatAt: null,
  slow: false,
  ...overrides,
});

describe('JobRunList', () => {
  it('lists runs with status, times and duration, each linking to its run', () => {
    renderWithPreferences(
      <JobRunList
        runs={[
          run(2, { status: 'FAILED', errorMessage: 'exit 1', slow: true }),
          run(1, { durationMs: 1500 }),
        ]}
        sort="-createdAt"
        hasMore={false}
        onMore={() => {}}
      />,
    );
    const rows = screen.getAllByRole('row').slice(1);
    expect(within(rows[0]!).getByText('Slow', { exact: false })).toBeTruthy();
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByRole('link', { name: '#2' }).getAttribute('href')).toBe('/runs/2');
    expect(within(rows[0]!).getByText('Failed', { exact: false })).toBeTruthy();
    expect(within(rows[0]!).getByText('exit 1')).toBeTruthy();
    expect(within(rows[1]!).getByText('1.5 s')).toBeTruthy();
    expect(within(rows[1]!).queryByText('Slow')).toBeNull();
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Run',
      'Status',
      'Created',
      'Started',
      'Finished',
      'Duration',
    ]);
    expect(screen.queryByRole('button', { name: 'Older runs' })).toBeNull();
  });

  it('pages with "Older runs", and names the jobs of a cross-job list', () => {
    const onMore = vi.fn();
    renderWithPreferences(
      <JobRunList
        runs={[run(1, { jobId: 4 })]}
        sort="-createdAt"
        hasMore
        onMore={onMore}
        jobNames={new Map([[4, 'Daily ETL']])}
      />,
    );
    expect(screen.getByRole('link', { name: 'Daily ETL' }).getAttribute('href')).toBe('/jobs/4');
    fireEvent.click(screen.getByRole('button', { name: 'Older runs' }));
    expect(onMore).toHaveBeenCalledOnce();
  });

  it('holds new runs behind "N new runs" while the user is scrolled down', () => {
    const props = { sort: '-createdAt', hasMore: false, onMore: () => {} };
    const { rerender } = renderWithPreferences(<JobRunList runs={[run(2), run(1)]} {...props} />);
    Object.defineProperty(window, 'scrollY', { value: 500, configurable: true });
    try {
      rerender(
        <PreferencesProvider>
          <JobRunList runs={[run(4), run(3), run(2), run(1)]} {...props} />
        </PreferencesProvider>,
      );
      expect(screen.getAllByRole('row')).toHaveLength(3); // header + the two already shown
      fireEvent.click(screen.getByRole('button', { name: '2 new runs' }));
      expect(screen.getAllByRole('row')).toHaveLength(5);
      expect(screen.queryByRole('button', { name: /new run/ })).toBeNull();
    } finally {
      Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
    }
  });

  it('shows new runs at once at the top of the page', () => {
    const props = { sort: '-createdAt', hasMore: false, onMore: () => {} };
    const { rerender } = renderWithPreferences(<JobRunList runs={[run(1)]} {...props} />);
    rerender(
      <PreferencesProvider>
        <JobRunList runs={[run(2), run(1)]} {...props} />
      </PreferencesProvider>,
    );
    expect(screen.getAllByRole('row')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: /new run/ })).toBeNull();
  });
});
