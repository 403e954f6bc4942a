import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sampleChannel } from '../../../../test/web/sample-channel';
import { sampleJob } from '../../../../test/web/sample-job';
import { NotifiesLine } from './JobNotifies';

describe('NotifiesLine', () => {
  it('names the channels that cover the job, with their events, linking to the Channels page', () => {
    render(
      <NotifiesLine
        job={sampleJob({ id: 7, projectId: 1 })}
        channels={[
          sampleChannel({ id: 1, name: 'Ops on Slack' }),
          sampleChannel({ id: 2, name: 'Other project', projectId: 2 }),
          sampleChannel({ id: 3, name: 'Disabled', enabled: false }),
          sampleChannel({ id: 4, name: 'Other jobs', jobIds: [8] }),
          sampleChannel({
            id: 5,
            name: 'On call',
            type: 'pagerduty',
            jobIds: [7],
            events: ['run.failed', 'job.down'],
          }),
        ]}
      />,
    );
    const line = screen.getByRole('region', { name: 'Notifies' });
    expect(
      within(line)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'Ops on Slack (Slack: run.failed, job.down, job.up)',
      'On call (PagerDuty: run.failed, job.down)',
    ]);
    expect(within(line).getByRole('link', { name: 'On call' }).getAttribute('href')).toBe(
      '/channels',
    );
  });

  it('says when nobody is told', () => {
    render(<NotifiesLine job={sampleJob()} channels={[sampleChannel({ enabled: false })]} />);
    expect(screen.getByRole('region', { name: 'Notifies' }).textContent).toBe(
      'Notifiesno channel: nobody is told about this job. Channels',
    );
  });
});
