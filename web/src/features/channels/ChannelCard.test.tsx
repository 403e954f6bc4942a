import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sampleChannel, sampleDelivery } from '../../../../test/web/sample-channel';
import { renderInSession } from '../../../../test/web/session';
import { iso } from '../../../../test/web/render';
import { ChannelCard, TestAnswer } from './ChannelCard';
import { DeliveryTable } from './ChannelDeliveries';

const props = {
  jobNames: new Map([[7, 'Nightly backup']]),
  projectNames: new Map([[1, 'Ops']]),
  jobs: [{ id: 7, name: 'Nightly backup', projectId: 1 }],
};
const buttons = () => screen.getAllByRole('button').map((button) => button.textContent);

describe('ChannelCard', () => {
  it('shows where it sends, what, about which jobs, and its state', () => {
    renderInSession(
      <ChannelCard {...props} channel={sampleChannel({ jobIds: [7], projectId: 1 })} isAdmin />,
      'admin',
    );
    const card = screen.getByRole('article', { name: 'Ops on Slack' });
    expect(within(card).getByText('Slack')).toBeTruthy();
    expect(within(card).getByText('Enabled', { exact: false })).toBeTruthy();
    expect(within(card).getByText('https://hooks.slack.com/…XXXX')).toBeTruthy();
    expect(within(card).getByText('job.down')).toBeTruthy();
    expect(within(card).getByRole('link', { name: 'Nightly backup' }).getAttribute('href')).toBe(
      '/jobs/7',
    );
    expect(within(card).getByText('Ops')).toBeTruthy();
  });

  it('an admin key has the controls; delete asks first', () => {
    renderInSession(<ChannelCard {...props} channel={sampleChannel()} isAdmin />, 'admin');
    expect(buttons()).toEqual(['Send test', 'Deliveries', 'Change', 'Disable', 'Delete']);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByRole('group', { name: 'Delete Ops on Slack?' });
    expect(within(confirm).getByRole('button', { name: 'Delete channel' })).toBeTruthy();
    fireEvent.click(within(confirm).getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('group', { name: 'Delete Ops on Slack?' })).toBeNull();
  });

  it('any other key reads only: no control but the deliveries', () => {
    renderInSession(<ChannelCard {...props} channel={sampleChannel()} isAdmin={false} />, 'write');
    expect(buttons()).toEqual(['Deliveries']);
  });

  it('a channel the dispatcher disabled says so, with its last error', () => {
    renderInSession(
      <ChannelCard
        {...props}
        channel={sampleChannel({
          enabled: false,
          disabledReason: 'Disabled after 24 h of failures; last error: HTTP 404',
        })}
        isAdmin
      />,
      'admin',
    );
    expect(document.querySelector('.channel-head .badge')!.textContent).toBe('✕ Disabled');
    expect(screen.getByText(/last error: HTTP 404/).textContent).toContain('Last error:');
    expect(screen.getByRole('button', { name: 'Enable' })).toBeTruthy();
  });
});

describe('TestAnswer and DeliveryTable', () => {
  it('says what the receiver answered a test', () => {
    renderInSession(<TestAnswer delivery={sampleDelivery()} />, 'admin');
    expect(screen.getByRole('status').textContent).toBe('Test sent. The receiver answered 200: ok');
  });

  it('a failed test: the error and the answer', () => {
    const failed = sampleDelivery({
      status: 'pending',
      log: [
        {
          attempt: 1,
          responseStatus: 400,
          error: 'HTTP 400',
          durationMs: 12,
          responseExcerpt: 'invalid_payload',
          createdAt: iso(1),
        },
      ],
    });
    renderInSession(<TestAnswer delivery={failed} />, 'admin');
    expect(screen.getByRole('status').textContent).toContain(
      'Test failed: HTTP 400. The receiver answered 400: invalid_payload',
    );
  });

  it('lists deliveries: time, event, outcome, attempts, status, error', () => {
    renderInSession(
      <DeliveryTable
        deliveries={[
          sampleDelivery({
            id: 2,
            eventType: 'run.failed',
            status: 'failed',
            attempts: 3,
            log: [
              {
                attempt: 3,
                responseStatus: 404,
                error: 'HTTP 404',
                durationMs: 9,
                responseExcerpt: 'no_service',
                createdAt: iso(2),
              },
            ],
          }),
          sampleDelivery({ id: 1 }),
        ]}
      />,
      'read',
    );
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Time',
      'Event',
      'Outcome',
      'Attempts',
      'Status',
      'Error or answer',
    ]);
    const [failed, sent] = screen.getAllByRole('row').slice(1);
    expect(failed!.querySelector('.badge')!.textContent).toBe('✕ Failed');
    expect(within(failed!).getByText('404')).toBeTruthy();
    expect(within(failed!).getByText('HTTP 404')).toBeTruthy();
    expect(sent!.querySelector('.badge')!.textContent).toBe('✓ Delivered');
    expect(within(sent!).getByText('ok')).toBeTruthy();
  });
});
