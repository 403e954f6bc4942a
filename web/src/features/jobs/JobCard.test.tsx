import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../api/client';
import { iso, renderWithPreferences } from '../../../../test/web/render';
import { sampleJob } from '../../../../test/web/sample-job';
import { JobCard } from './JobCard';

const summary = (overrides: Partial<JobSummary> = {}): JobSummary => ({
  job: sampleJob({ projectId: 2, lastRunAt: iso(3), createdAt: iso(600), updatedAt: iso(600) }),
  recentRuns: [
    { id: 3, status: 'FAILED', createdAt: iso(3), durationMs: 4000 },
    { id: 2, status: 'SUCCESS', createdAt: iso(63), durationMs: 2000 },
    { id: 1, status: 'SUCCESS', createdAt: iso(123), durationMs: null },
  ],
  stats: {
    total: 3,
    counts: { PENDING: 0, RUNNING: 0, SUCCESS: 2, FAILED: 1, CANCELLED: 0 },
    successRate: 2 / 3,
    durationMs: { count: 2, p50: 2000, p95: 4000, max: 4000 },
  },
  ...overrides,
});

describe('JobCard', () => {
  it("shows the job's health beside its last run, and its schedule", () => {
    const base = summary();
    renderWithPreferences(
      <JobCard
        summary={{
          ...base,
          job: { ...base.job, health: 'late', schedule: '0 3 * * *', timezone: 'Europe/Berlin' },
        }}
      />,
    );
    const card = screen.getByRole('article', { name: 'Nightly backup' });
    const health = card.querySelector('[data-health]');
    expect(health?.getAttribute('data-health')).toBe('late');
    expect(health?.textContent).toContain('Late');
    expect(health?.getAttribute('title')).toMatch(/grace/);
    expect(within(card).getByText('0 3 * * *').closest('[title]')?.getAttribute('title')).toBe(
      'Europe/Berlin',
    );
  });

  it('shows the job, its last run, its health and a strip of runs linking to each run', () => {
    renderWithPreferences(<JobCard summary={summary()} projectName="data-platform" />);
    const card = screen.getByRole('article', { name: 'Nightly backup' });
    expect(within(card).getByRole('link', { name: 'Nightly backup' }).getAttribute('href')).toBe(
      '/jobs/7',
    );
    expect(within(card).getByText('backup')).toBeTruthy();
    expect(within(card).getByText('data-platform')).toBeTruthy();
    // The last run's status, in words, and when, with the exact UTC time on hover.
    expect(within(card).getAllByText('Failed', { exact: false }).length).toBeGreaterThan(0);
    const when = within(card).getByText('3 min. ago');
    expect(when.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC$/);
    expect(within(card).getByText('66.7%')).toBeTruthy();
    expect(within(card).getByText('4.0 s')).toBeTruthy();
    const strip = within(card).getByRole('list', { name: 'Last 3 runs, oldest first' });
    const bars = within(strip).getAllByRole('link');
    expect(bars.map((bar) => bar.getAttribute('href'))).toEqual(['/runs/1', '/runs/2', '/runs/3']);
    expect(bars[2]!.getAttribute('aria-label')).toMatch(/^Run 3: Failed, 4\.0 s, /);
    // Height by duration: the longest run is the tallest; one without a duration is short.
    expect(bars.map((bar) => bar.style.height)).toEqual(['30%', '65%', '100%']);
  });

  it('reads well for a job that never ran', () => {
    renderWithPreferences(
      <JobCard
        summary={summary({
          recentRuns: [],
          stats: {
            total: 0,
            counts: { PENDING: 0, RUNNING: 0, SUCCESS: 0, FAILED: 0, CANCELLED: 0 },
            successRate: null,
            durationMs: { count: 0, p50: null, p95: null, max: null },
          },
        })}
      />,
    );
    expect(screen.getByText(/^\s*No runs$/)).toBeTruthy(); // the badge
    expect(screen.getByText('No runs yet')).toBeTruthy(); // the strip
    expect(screen.getByText('project 2')).toBeTruthy();
    expect(screen.getAllByText('–').length).toBeGreaterThanOrEqual(3);
  });
});
