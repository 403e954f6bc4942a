import type { Channel, Job } from '../../api/client';
import { Link } from '../../app/router';
import { useChannels } from './api';
import { channelsCovering } from './coverage';
import { TYPE_LABELS } from './model';

/**
 * The job page's "Notifies" line, from the channels a key sees: each channel that covers the job
 * (`channelsCovering`), with the events it sends, linking to the Channels page.
 */
export function NotifiesLine({ channels, job }: { channels: readonly Channel[]; job: Job }) {
  const covering = channelsCovering(channels, job);
  return (
    <section className="notifies" aria-labelledby={`job-${job.id}-notifies`}>
      <span id={`job-${job.id}-notifies`} className="notifies-label">
        Notifies
      </span>
      {covering.length === 0 ? (
        <span className="muted">
          no channel: nobody is told about this job. <Link to="/channels">Channels</Link>
        </span>
      ) : (
        <ul>
          {covering.map((channel) => (
            <li key={channel.id}>
              <Link to="/channels">{channel.name}</Link>{' '}
              <span className="muted">
                ({TYPE_LABELS[channel.type]}: {channel.events.join(', ')})
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The line for the job page, once its channels are known (nothing if they cannot be read). */
export function JobNotifies({ job }: { job: Job }) {
  const channels = useChannels();
  if (!channels.data) return null;
  return <NotifiesLine channels={channels.data} job={job} />;
}
