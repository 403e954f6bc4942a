import type { ChannelDelivery } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Time } from '../../components/Time';
import { useChannelDeliveries } from './api';

const OUTCOME: Record<ChannelDelivery['status'], { icon: string; label: string; look: string }> = {
  succeeded: { icon: '✓', label: 'Delivered', look: 'success' },
  failed: { icon: '✕', label: 'Failed', look: 'failed' },
  pending: { icon: '◔', label: 'Retrying', look: 'running' },
  held: { icon: '⊘', label: 'Held', look: 'cancelled' },
};

/** A delivery's outcome: icon and word, never colour alone. */
export function DeliveryOutcome({ delivery }: { delivery: Pick<ChannelDelivery, 'status'> }) {
  const outcome = OUTCOME[delivery.status];
  return (
    <span className={`badge badge-${outcome.look}`}>
      <span aria-hidden="true">{outcome.icon}</span> {outcome.label}
    </span>
  );
}

/** What the receiver said to a delivery's latest attempt: its status, and its error or answer. */
export const lastAttempt = (delivery: Pick<ChannelDelivery, 'log'>) =>
  delivery.log.length ? delivery.log[delivery.log.length - 1]! : null;

/** The delivery log as a table: newest first, each with its latest attempt. */
export function DeliveryTable({ deliveries }: { deliveries: readonly ChannelDelivery[] }) {
  if (deliveries.length === 0) return <p className="muted">Nothing sent yet.</p>;
  return (
    <div className="run-list">
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Outcome</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col" className="num">
              Status
            </th>
            <th scope="col">Error or answer</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => {
            const attempt = lastAttempt(delivery);
            return (
              <tr key={delivery.id}>
                <td>
                  <Time iso={attempt?.createdAt ?? delivery.createdAt} />
                </td>
                <td>
                  <code>{delivery.eventType}</code>
                </td>
                <td>
                  <DeliveryOutcome delivery={delivery} />
                </td>
                <td className="num">{delivery.attempts}</td>
                <td className="num">{attempt?.responseStatus ?? '–'}</td>
                <td>
                  {attempt?.error ? (
                    <span className="row-error" title={attempt.error}>
                      {attempt.error}
                    </span>
                  ) : (
                    <span className="excerpt" title={attempt?.responseExcerpt ?? undefined}>
                      {attempt?.responseExcerpt ?? '–'}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A channel's 50 newest deliveries, fetched while shown. */
export function ChannelDeliveries({ id, name }: { id: number; name: string }) {
  const deliveries = useChannelDeliveries(id, true);
  return (
    <section aria-label={`Deliveries of ${name}`} className="deliveries">
      <h3>Deliveries</h3>
      <ErrorNote error={deliveries.error} />
      {deliveries.data ? (
        <DeliveryTable deliveries={deliveries.data} />
      ) : deliveries.isPending ? (
        <p className="muted">Loading deliveries…</p>
      ) : null}
    </section>
  );
}
