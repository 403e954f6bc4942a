import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sampleJob } from '../../test/sample-job';
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

  it('puts a placeholder where crontab could not read the schedule (seconds, every 15m)', () => {
    for (const schedule of ['*/5 * * * * *', 'every 15m']) {
      const { unmount } = render(<JobReporting job={{ ...job, schedule }} />);
      expect(screen.getByLabelText('Crontab line').textContent).toMatch(/^\*\/15 \* \* \* \* curl/);
      unmount();
    }
    render(<JobReporting job={{ ...job, schedule: '@hourly' }} />);
    expect(screen.getByLabelText('Crontab line').textContent).toMatch(/^@hourly curl/);
  });

  it('shows nothing to a read key (no ping URL) or for an archived job', () => {
    const { container, rerender } = render(<JobReporting job={{ ...job, pingUrl: null }} />);
    expect(container.textContent).toBe('');
    rerender(<JobReporting job={{ ...job, archived: true }} />);
    expect(container.textContent).toBe('');
  });
});
