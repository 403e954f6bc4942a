import { useState } from 'react';
import type { Channel, ChannelDelivery } from '../../api/client';
import { Link } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import type { JobChoice } from './api';
import { useDeleteChannel, useTestChannel, useUpdateChannel } from './api';
import { ChannelDeliveries, lastAttempt } from './ChannelDeliveries';
import { ChannelForm } from './ChannelForm';
import { channelTarget, TYPE_LABELS } from './model';

/** Enabled, or disabled by the dispatcher (or a person): icon and word. */
export function ChannelState({ channel }: { channel: Pick<Channel, 'enabled'> }) {
  return channel.enabled ? (
    <span className="badge badge-success">
      <span aria-hidden="true">✓</span> Enabled
    </span>
  ) : (
    <span className="badge badge-failed">
      <span aria-hidden="true">✕</span> Disabled
    </span>
  );
}

/** What the receiver said to a test, in words. */
export function TestAnswer({ delivery }: { delivery: ChannelDelivery }) {
  const attempt = lastAttempt(delivery);
  if (!attempt)
    return (
      <p role="status" className="notice">
        Test queued, not sent yet{' '}
        {delivery.status === 'pending' ? '(a disabled channel sends nothing until enabled)' : ''}.
      </p>
    );
  const status = attempt.responseStatus === null ? 'no answer' : `${attempt.responseStatus}`;
  const answer = attempt.responseExcerpt ? `: ${attempt.responseExcerpt}` : '';
  if (delivery.status === 'succeeded')
    return (
      <p role="status" className="notice test-answer">
        Test sent. The receiver answered {status}
        {answer}
      </p>
    );
  return (
    <div role="status" className="error-note test-answer">
      <p>
        Test failed{attempt.error ? `: ${attempt.error}` : ''}. The receiver answered {status}
        {answer}
      </p>
      {delivery.status === 'pending' ? <p>It will be retried, as any message is.</p> : null}
    </div>
  );
}

interface Props {
  channel: Channel;
  /** Every job's name by id (jobs covered, linked). */
  jobNames: ReadonlyMap<number, string>;
  projectNames: ReadonlyMap<number, string>;
  /** The jobs the change form offers. */
  jobs: readonly JobChoice[];
  /** Only an admin key may change channels: otherwise no control is shown. */
  isAdmin: boolean;
}

/** One channel: where it posts, what and about which jobs, its state, and (admin) its actions. */
export function ChannelCard({ channel, jobNames, projectNames, jobs, isAdmin }: Props) {
  const [open, setOpen] = useState<'deliveries' | 'edit' | 'delete' | null>(null);
  const test = useTestChannel(channel.id);
  const update = useUpdateChannel(channel.id);
  const remove = useDeleteChannel(channel.id);
  const headingId = `channel-${channel.id}-name`;
  const toggle = (panel: typeof open) => setOpen((current) => (current === panel ? null : panel));

  return (
    <article className="card channel" aria-labelledby={headingId}>
      <div className="channel-head">
        <h2 id={headingId}>{channel.name}</h2>
        <span className="tag">{TYPE_LABELS[channel.type]}</span>
        <ChannelState channel={channel} />
        <div className="button-row push">
          {isAdmin ? (
            <button type="button" disabled={test.isPending} onClick={() => test.mutate()}>
              Send test
            </button>
          ) : null}
          <button
            type="button"
            aria-expanded={open === 'deliveries'}
            onClick={() => toggle('deliveries')}
          >
            Deliveries
          </button>
          {isAdmin ? (
            <>
              <button type="button" aria-expanded={open === 'edit'} onClick={() => toggle('edit')}>
                Change
              </button>
              <button
                type="button"
                disabled={update.isPending}
                onClick={() => update.mutate({ enabled: !channel.enabled })}
              >
                {channel.enabled ? 'Disable' : 'Enable'}
              </button>
              <button type="button" className="danger" onClick={() => setOpen('delete')}>
                Delete
              </button>
            </>
          ) : null}
        </div>
      </div>
      {channel.disabledReason ? (
        <p className="error-text last-error">
          <strong>Last error:</strong> {channel.disabledReason}
        </p>
      ) : null}
      <dl className="channel-facts">
        <div>
          <dt>Sends to</dt>
          <dd>
            <code>{channelTarget(channel)}</code>
          </dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd className="event-tags">
            {channel.events.map((event) => (
              <code key={event} className="tag">
                {event}
              </code>
            ))}
          </dd>
        </div>
        <div>
          <dt>Jobs</dt>
          <dd>
            {channel.jobIds === null
              ? channel.projectId === null
                ? 'Every job'
                : 'Every job of the project'
              : channel.jobIds.map((id, i) => (
                  <span key={id}>
                    {i > 0 ? ', ' : ''}
                    <Link to={`/jobs/${id}`}>{jobNames.get(id) ?? `#${id}`}</Link>
                  </span>
                ))}
          </dd>
        </div>
        <div>
          <dt>Project</dt>
          <dd>
            {channel.projectId === null
              ? 'Every project'
              : (projectNames.get(channel.projectId) ?? `#${channel.projectId}`)}
          </dd>
        </div>
      </dl>
      {test.data ? <TestAnswer delivery={test.data} /> : null}
      <ErrorNote error={test.error ?? (open === 'edit' ? null : update.error) ?? remove.error} />
      {open === 'delete' ? (
        <div className="confirm" role="group" aria-label={`Delete ${channel.name}?`}>
          <p>
            Delete <strong>{channel.name}</strong>? It stops notifying at once, and its deliveries
            go with it.
          </p>
          <div className="button-row">
            <button
              type="button"
              className="primary danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate()}
            >
              Delete channel
            </button>
            <button type="button" onClick={() => setOpen(null)}>
              Keep it
            </button>
          </div>
        </div>
      ) : null}
      {open === 'edit' ? (
        <ChannelForm
          channel={channel}
          jobs={jobs}
          projects={null}
          pending={update.isPending}
          error={update.error}
          onCancel={() => setOpen(null)}
          onSubmit={(body) => update.mutate(body, { onSuccess: () => setOpen(null) })}
        />
      ) : null}
      {open === 'deliveries' ? <ChannelDeliveries id={channel.id} name={channel.name} /> : null}
    </article>
  );
}
