import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sampleJob } from '../../../../test/web/sample-job';
import { JobReporting } from './JobReporting';

const job = sampleJob({ schedule: '30 2 * * *', timezone: 'Europe/Berlin', graceSeconds: 600 });

describe('JobReporting', () => {
  const ping = `${window.location.origin}/ping/5bf2ef7a-4c0e-4c5e-9b8e-2d3b1b1e6f10`;

  it("gives the ping URL on this server and a crontab line on the job's own schedule", () => {
    render(<JobReporting job={job} />);
    expect(screen.getByLabelText('Ping URL').textContent).toBe(ping);
    expect(screen.getByLabelText('Crontab line').textContent).toBe(
      `30 2 * * * curl -fsS -m 10 --retry 5 -o /dev/null ${ping}/start; /path/to/command; ` +
        `curl -fsS -m 10 --retry 5 -o /dev/null ${ping}/$?`,
    );
    expect(
      screen.getByText('chronotrack exec --job nightly-backup -- /path/to/command'),
    ).toBeTruthy();
  });

  it('says the zone the schedule is read in, and where crontab differs', () => {
    render(<JobReporting job={job} />);
    const line = screen.getByLabelText('Crontab line');
    expect(line.getAttribute('aria-describedby')).toBeTruthy();
    const note = document.getElementById(line.getAttribute('aria-describedby')!)!.textContent;
    expect(note).toContain('ChronoTrack reads this schedule in Europe/Berlin;');
    expect(note).toContain('CRON_TZ=Europe/Berlin');
    // Only in words: a CRON_TZ line pasted into a crontab would move the lines below it.
    expect(line.textContent).not.toContain('CRON_TZ');
  });

  it('every 15 seconds: a placeholder cron refuses, and why, not a schedule cron reads otherwise', () => {
    render(<JobReporting job={{ ...job, schedule: '*/15 * * * * *' }} />);
    expect(screen.getByLabelText('Crontab line').textContent).toMatch(/^<schedule> curl /);
    expect(screen.getByText(/runs every 15 seconds, which has no crontab form/).textContent).toBe(
      "*/15 * * * * * runs every 15 seconds, which has no crontab form: cron's smallest step is " +
        'a minute. Put the times it should run at, as crontab writes them, in place of <schedule>.',
    );
  });

  it('no schedule: says so, with the placeholder', () => {
    render(<JobReporting job={{ ...job, schedule: null, timezone: null }} />);
    expect(screen.getByLabelText('Crontab line').textContent).toMatch(/^<schedule> curl /);
    expect(screen.getByText(/This job has no schedule/)).toBeTruthy();
    expect(screen.queryByText(/0 3 \* \* \*/)).toBeNull();
  });

  it('every 15m and @hourly: the crontab form, and no zone note when the zone does not matter', () => {
    const { unmount } = render(<JobReporting job={{ ...job, schedule: 'every 15m' }} />);
    const line = screen.getByLabelText('Crontab line');
    expect(line.textContent).toMatch(/^\*\/15 \* \* \* \* curl /);
    expect(screen.getByText(/as crontab writes it/)).toBeTruthy();
    expect(screen.queryByText(/ChronoTrack reads this schedule/)).toBeNull();
    unmount();
    render(<JobReporting job={{ ...job, schedule: '@hourly', timezone: null }} />);
    expect(screen.getByLabelText('Crontab line').textContent).toMatch(/^@hourly curl /);
    expect(
      screen.getByText(/ChronoTrack reads this schedule in UTC \(the job has no time zone\)/),
    ).toBeTruthy();
  });

  it('shows nothing to a read key (no ping URL) or for an archived job', () => {
    const { container, rerender } = render(<JobReporting job={{ ...job, pingUrl: null }} />);
    expect(container.textContent).toBe('');
    rerender(<JobReporting job={{ ...job, archived: true }} />);
    expect(container.textContent).toBe('');
  });
});
