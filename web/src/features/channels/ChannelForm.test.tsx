import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { sampleChannel } from '../../../../test/web/sample-channel';
import { ApiError } from '../../api/client';
import { buildConfig, ChannelForm } from './ChannelForm';

const jobs = [
  { id: 7, name: 'Nightly backup', projectId: 1 },
  { id: 9, name: 'Invoice sync', projectId: 2 },
];
const projects = [
  { id: 1, name: 'Ops' },
  { id: 2, name: 'Billing' },
];
const base = { jobs, projects, pending: false, error: null, onCancel: () => {} };

const settings = () => screen.getByRole('group', { name: /settings$/ });
const fieldLabels = () =>
  within(settings())
    .queryAllByRole('textbox')
    .map(
      (box) =>
        box.getAttribute('id') && document.querySelector(`label[for="${box.id}"]`)?.textContent,
    );
const eventBoxes = () =>
  within(screen.getByRole('group', { name: 'Events' })).getAllByRole(
    'checkbox',
  ) as HTMLInputElement[];

describe('ChannelForm', () => {
  it("shows only the chosen type's fields, and PagerDuty's events only", () => {
    render(<ChannelForm {...base} onSubmit={() => {}} />);
    expect(fieldLabels()).toEqual(['Webhook URL']);
    expect(eventBoxes()).toHaveLength(8);
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'ntfy' } });
    expect(fieldLabels()).toEqual(['Topic URL', 'Access token (optional)']);
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'pagerduty' } });
    expect(fieldLabels()).toEqual(['Routing key', 'Events API URL (optional)']);
    expect(eventBoxes().map((box) => box.parentElement!.textContent!.trim())).toEqual([
      'A run failed run.failed',
      'A job is down job.down',
      'A job is up again job.up',
    ]);
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'email' } });
    expect(fieldLabels()).toEqual(['Recipients']);
    expect(screen.queryByLabelText('Webhook URL')).toBeNull();
  });

  it('sends the name, type, that type’s config, the ticked events and the chosen jobs', () => {
    const onSubmit = vi.fn();
    render(<ChannelForm {...base} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: ' Ops on Slack ' } });
    fireEvent.change(screen.getByLabelText('Webhook URL'), {
      target: { value: 'https://hooks.slack.com/services/T0/B0/XX' },
    });
    fireEvent.click(screen.getByLabelText(/A run was slow/));
    fireEvent.click(screen.getByLabelText(/A job is up again/));
    fireEvent.click(screen.getByLabelText('Only these jobs'));
    fireEvent.click(screen.getByLabelText('Nightly backup'));
    fireEvent.submit(screen.getByRole('form', { name: 'Add channel' }));
    expect(onSubmit).toHaveBeenCalledWith({
      name: 'Ops on Slack',
      type: 'slack',
      config: { webhookUrl: 'https://hooks.slack.com/services/T0/B0/XX' },
      events: ['run.failed', 'job.down', 'run.slow'],
      jobIds: [7],
    });
  });

  it("a project limits the channel and the jobs offered to that project's", () => {
    const onSubmit = vi.fn();
    render(<ChannelForm {...base} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText('Project'), { target: { value: '2' } });
    fireEvent.click(screen.getByLabelText('Only these jobs'));
    expect(screen.queryByLabelText('Nightly backup')).toBeNull();
    fireEvent.click(screen.getByLabelText('Invoice sync'));
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'email' } });
    fireEvent.change(screen.getByLabelText('Recipients'), {
      target: { value: 'ops@example.com,\n billing@example.com' },
    });
    fireEvent.submit(screen.getByRole('form', { name: 'Add channel' }));
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({
      type: 'email',
      config: { to: ['ops@example.com', 'billing@example.com'] },
      projectId: 2,
      jobIds: [9],
    });
  });

  it("says the server's problem in the form: an email channel without SMTP", () => {
    const error = new ApiError(422, {
      detail:
        'This server has no mail transport: email channels need SMTP_URL and SMTP_FROM set on the Node server (Workers cannot send mail over SMTP).',
      code: 'MAIL_NOT_CONFIGURED',
      errors: [{ path: 'type', message: 'email needs SMTP_URL and SMTP_FROM on the server' }],
    });
    render(<ChannelForm {...base} error={error} onSubmit={() => {}} />);
    const alert = within(screen.getByRole('form')).getByRole('alert');
    expect(alert.textContent).toContain('This server has no mail transport');
    expect(alert.textContent).toContain('type: email needs SMTP_URL and SMTP_FROM on the server');
  });

  it('changes a channel: its type fixed, its write-only settings sent only when filled', () => {
    const onSubmit = vi.fn();
    const channel = sampleChannel({ jobIds: [7] });
    render(<ChannelForm {...base} channel={channel} onSubmit={onSubmit} />);
    expect((screen.getByLabelText('Type') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByLabelText('Webhook URL').getAttribute('placeholder')).toBe(
      'https://hooks.slack.com/…XXXX',
    );
    expect((screen.getByLabelText('Nightly backup') as HTMLInputElement).checked).toBe(true);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Ops' } });
    fireEvent.click(screen.getByLabelText(/Every job/));
    fireEvent.submit(screen.getByRole('form', { name: 'Change Ops on Slack' }));
    expect(onSubmit).toHaveBeenLastCalledWith({
      name: 'Ops',
      events: ['run.failed', 'job.down', 'job.up'],
      jobIds: null,
    });
    fireEvent.change(screen.getByLabelText('Webhook URL'), {
      target: { value: 'https://hooks.slack.com/services/T0/B0/YY' },
    });
    fireEvent.submit(screen.getByRole('form', { name: 'Change Ops on Slack' }));
    expect(onSubmit.mock.lastCall![0].config).toEqual({
      webhookUrl: 'https://hooks.slack.com/services/T0/B0/YY',
    });
  });

  it('buildConfig: only the type’s own fields, lists split, empty is null', () => {
    expect(buildConfig('ntfy', { url: ' https://ntfy.sh/t ', webhookUrl: 'x' })).toEqual({
      url: 'https://ntfy.sh/t',
    });
    expect(buildConfig('pagerduty', { routingKey: 'abc', url: '' })).toEqual({ routingKey: 'abc' });
    expect(buildConfig('email', { to: 'a@example.com; b@example.com' })).toEqual({
      to: ['a@example.com', 'b@example.com'],
    });
    expect(buildConfig('slack', {})).toBeNull();
  });
});
