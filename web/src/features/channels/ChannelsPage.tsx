import { useMemo, useState } from 'react';
import { useSession } from '../../auth/session';
import { ErrorNote } from '../../components/ErrorNote';
import { useProjects } from '../jobs/api';
import { useJobNames } from '../runs/api';
import { useChannels, useCreateChannel, useJobChoices } from './api';
import { ChannelCard } from './ChannelCard';
import { ChannelForm } from './ChannelForm';

/**
 * `/channels`: who is told what, and whether it reaches them. Every key may read it; only an
 * admin key (the API's rule for changing channels) sees the controls that add, test, change or
 * delete one.
 */
export function ChannelsPage() {
  const { me } = useSession();
  const isAdmin = me.scope === 'admin';
  const channels = useChannels();
  const jobNames = useJobNames();
  const jobs = useJobChoices();
  const projects = useProjects();
  const create = useCreateChannel();
  const [adding, setAdding] = useState(false);
  const projectNames = useMemo(
    () => new Map((projects.data?.data ?? []).map((project) => [project.id, project.name])),
    [projects.data],
  );

  return (
    <main>
      <div className="page-head">
        <h1>Channels</h1>
        {isAdmin && !adding ? (
          <button
            type="button"
            className="primary push"
            onClick={() => {
              create.reset();
              setAdding(true);
            }}
          >
            Add channel
          </button>
        ) : null}
      </div>
      <p className="muted">
        Where a person is told when a job fails, is slow, goes late or down, or comes back up:
        Slack, Discord, Teams, ntfy, PagerDuty or email.
        {isAdmin
          ? null
          : ` Read only: adding, testing or changing a channel needs an admin key (“${me.name}” is a ${me.scope} key).`}
      </p>
      {adding ? (
        <ChannelForm
          jobs={jobs.data ?? []}
          projects={me.projectId === null ? (projects.data?.data ?? []) : null}
          pending={create.isPending}
          error={create.error}
          onCancel={() => setAdding(false)}
          onSubmit={(body) => create.mutate(body, { onSuccess: () => setAdding(false) })}
        />
      ) : null}
      {create.data && !adding ? (
        <p className="notice" role="status">
          Channel “{create.data.name}” added. Send a test to check it reaches its receiver.
        </p>
      ) : null}
      <ErrorNote error={channels.error} />
      {channels.data?.length === 0 ? (
        <p className="empty">
          No channel yet: nobody is told when a job fails.
          {isAdmin ? ' Add one above.' : ''}
        </p>
      ) : null}
      {channels.isPending ? <p className="muted">Loading channels…</p> : null}
      {channels.data?.map((channel) => (
        <ChannelCard
          key={channel.id}
          channel={channel}
          jobNames={jobNames.data ?? new Map()}
          projectNames={projectNames}
          jobs={jobs.data ?? []}
          isAdmin={isAdmin}
        />
      ))}
    </main>
  );
}
