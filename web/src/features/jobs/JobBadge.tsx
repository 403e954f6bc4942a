import { useState } from 'react';
import type { Job } from '../../api/client';
import { useSession } from '../../auth/session';
import { ErrorNote } from '../../components/ErrorNote';
import { useProject, useRotateBadgeKey } from '../projects/api';
import { badgeSnippets } from './badge-snippets';

/**
 * The job's status badge, to embed where no API key can go (a README, a wiki): its Markdown and
 * HTML to copy. The badge key is shown to admin keys only, so only they get the snippets, and
 * turn the project's badges on or rotate its key; other keys are told who can.
 */
export function JobBadge({ job }: { job: Job }) {
  const { me } = useSession();
  if (me.scope !== 'admin')
    return (
      <section className="card badge-section" aria-labelledby={`job-${job.id}-badge`}>
        <h2 id={`job-${job.id}-badge`}>Status badge</h2>
        <p className="muted">An admin key shows this job&apos;s status badge here, to embed.</p>
      </section>
    );
  return <AdminJobBadge job={job} />;
}

function AdminJobBadge({ job }: { job: Job }) {
  const project = useProject(job.projectId);
  const rotate = useRotateBadgeKey(job.projectId);
  const [confirming, setConfirming] = useState(false);
  if (!project.data) return <ErrorNote error={project.error} />;
  const { badgeKey } = project.data;
  const onRotate = () => {
    setConfirming(false);
    rotate.mutate();
  };
  return (
    <BadgeSection
      job={job}
      badgeKey={badgeKey ?? null}
      pending={rotate.isPending}
      confirming={confirming}
      onConfirm={setConfirming}
      onRotate={onRotate}
      error={rotate.error}
    />
  );
}

export interface BadgeSectionProps {
  job: Pick<Job, 'id' | 'key' | 'name'>;
  badgeKey: string | null;
  pending: boolean;
  confirming: boolean;
  onConfirm: (confirming: boolean) => void;
  onRotate: () => void;
  error?: unknown;
}

/** The badge's preview and snippets, or the button that turns the project's badges on. */
export function BadgeSection(props: BadgeSectionProps) {
  const { job, badgeKey, pending } = props;
  const headingId = `job-${job.id}-badge`;
  if (badgeKey === null)
    return (
      <section className="card badge-section" aria-labelledby={headingId}>
        <h2 id={headingId}>Status badge</h2>
        <p>
          This project&apos;s badges are off. Turned on, every job of the project has a badge that
          shows its name and health to anyone with its URL (and nothing else).
        </p>
        <button type="button" disabled={pending} onClick={props.onRotate}>
          Turn on badges
        </button>
        <ErrorNote error={props.error} />
      </section>
    );
  const snippets = badgeSnippets(window.location.origin, badgeKey, job);
  const copy = (text: string) => void navigator.clipboard?.writeText(text);
  return (
    <section className="card badge-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Status badge</h2>
      <p>
        <img src={snippets.svg} alt={`Status badge of ${job.name}`} height={20} />
      </p>
      <p>
        The job&apos;s name and health, for a README or a wiki: anyone with the URL sees them (and
        nothing else), no API key needed. It refreshes within a minute.
      </p>
      <pre>
        <code aria-label="Badge Markdown">{snippets.markdown}</code>
      </pre>
      <button type="button" onClick={() => copy(snippets.markdown)}>
        Copy Markdown
      </button>
      <pre>
        <code aria-label="Badge HTML">{snippets.html}</code>
      </pre>
      <button type="button" onClick={() => copy(snippets.html)}>
        Copy HTML
      </button>
      <p className="muted">
        shields.io can restyle it from <code aria-label="Badge JSON">{snippets.json}</code>.
      </p>
      {props.confirming ? (
        <p role="alert">
          Every badge of this project embedded so far stops working.{' '}
          <button type="button" className="danger" disabled={pending} onClick={props.onRotate}>
            Rotate badge key
          </button>{' '}
          <button type="button" onClick={() => props.onConfirm(false)}>
            Cancel
          </button>
        </p>
      ) : (
        <button type="button" className="link-button" onClick={() => props.onConfirm(true)}>
          Rotate badge key…
        </button>
      )}
      <ErrorNote error={props.error} />
    </section>
  );
}
