import { useId, useState } from 'react';
import type {
  Channel,
  ChannelCreate,
  ChannelEvent,
  ChannelType,
  ChannelUpdate,
} from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import type { JobChoice } from './api';
import { CHANNEL_TYPES, EVENT_LABELS, eventsFor, TYPE_LABELS } from './model';

type ConfigKey = 'webhookUrl' | 'url' | 'token' | 'routingKey' | 'to';

interface ConfigField {
  key: ConfigKey;
  label: string;
  required: boolean;
  input: 'url' | 'text' | 'list';
  hint?: string;
}

const webhookUrl = (hint: string): ConfigField => ({
  key: 'webhookUrl',
  label: 'Webhook URL',
  required: true,
  input: 'url',
  hint,
});

/** Each type's settings (the API's config schemas): the form shows only the chosen type's. */
const CONFIG_FIELDS: Record<ChannelType, ConfigField[]> = {
  slack: [webhookUrl('An incoming webhook: Slack app → Incoming Webhooks.')],
  discord: [webhookUrl("A channel's webhook: Server Settings → Integrations → Webhooks.")],
  teams: [
    webhookUrl('A Workflows webhook: "Post to a channel when a webhook request is received".'),
  ],
  ntfy: [
    { key: 'url', label: 'Topic URL', required: true, input: 'url' },
    {
      key: 'token',
      label: 'Access token (optional)',
      required: false,
      input: 'text',
      hint: 'Sent as Bearer, for a protected topic.',
    },
  ],
  pagerduty: [
    {
      key: 'routingKey',
      label: 'Routing key',
      required: true,
      input: 'text',
      hint: 'The Events API v2 integration key of a PagerDuty service.',
    },
    {
      key: 'url',
      label: 'Events API URL (optional)',
      required: false,
      input: 'url',
      hint: "Leave empty for PagerDuty's own (a relay, otherwise).",
    },
  ],
  email: [
    {
      key: 'to',
      label: 'Recipients',
      required: true,
      input: 'list',
      hint: 'Email addresses, separated by commas or new lines.',
    },
  ],
};

type Config = ChannelCreate['config'];

/**
 * The config the API takes from the form's values (only `type`'s fields); null when every field
 * is empty. A required field left empty is the API's to refuse, naming it.
 */
export function buildConfig(
  type: ChannelType,
  values: Partial<Record<ConfigKey, string>>,
): Config | null {
  const config: Record<string, string | string[]> = {};
  for (const field of CONFIG_FIELDS[type]) {
    const value = (values[field.key] ?? '').trim();
    if (!value) continue;
    config[field.key] =
      field.input === 'list'
        ? value
            .split(/[\s,;]+/)
            .map((address) => address.trim())
            .filter(Boolean)
        : value;
  }
  // The fields are CONFIG_FIELDS[type]'s, which are that type's schema's.
  return Object.keys(config).length ? (config as Config) : null;
}

const DEFAULT_EVENTS: ChannelEvent[] = ['run.failed', 'job.down', 'job.up'];

interface Common {
  jobs: readonly JobChoice[];
  /** The projects a channel may be limited to; null when the key is bound to one. */
  projects: ReadonlyArray<{ id: number; name: string }> | null;
  pending: boolean;
  error: unknown;
  onCancel(): void;
}

export type ChannelFormProps = Common &
  (
    | { channel?: undefined; onSubmit(body: ChannelCreate): void }
    | { channel: Channel; onSubmit(body: ChannelUpdate): void }
  );

/**
 * Add a channel, or change one (`channel` given): its name, type (when adding) and that type's
 * settings only, the events it sends, and which jobs. Settings are write-only: when changing a
 * channel they start empty, and filled ones replace them whole.
 */
export function ChannelForm(props: ChannelFormProps) {
  const { channel, jobs, projects, pending, error, onCancel } = props;
  const id = useId();
  const [name, setName] = useState(channel?.name ?? '');
  const [type, setType] = useState<ChannelType>(channel?.type ?? 'slack');
  const [values, setValues] = useState<Partial<Record<ConfigKey, string>>>({});
  const [events, setEvents] = useState<ChannelEvent[]>(channel?.events ?? DEFAULT_EVENTS);
  const [projectId, setProjectId] = useState<number | null>(channel?.projectId ?? null);
  const [onlySome, setOnlySome] = useState(channel?.jobIds != null);
  const [jobIds, setJobIds] = useState<number[]>(channel?.jobIds ?? []);

  const offered = eventsFor(type);
  const chosenEvents = events.filter((event) => offered.includes(event));
  const jobsShown = jobs.filter((job) => projectId === null || job.projectId === projectId);
  const fields = CONFIG_FIELDS[type];
  const toggle = <T,>(list: T[], item: T, on: boolean) =>
    on ? [...list, item] : list.filter((x) => x !== item);

  const submit = () => {
    const config = buildConfig(type, values);
    const chosenJobs = onlySome
      ? jobIds.filter((jid) => jobsShown.some((j) => j.id === jid))
      : null;
    if (props.channel)
      props.onSubmit({
        name: name.trim(),
        events: chosenEvents,
        jobIds: chosenJobs,
        ...(config && { config }),
      });
    else
      props.onSubmit({
        name: name.trim(),
        type,
        config: config ?? ({} as Config),
        events: chosenEvents,
        ...(chosenJobs && { jobIds: chosenJobs }),
        ...(projectId !== null && { projectId }),
      });
  };

  return (
    <form
      className="card edit-form channel-form"
      aria-label={channel ? `Change ${channel.name}` : 'Add channel'}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h2>{channel ? `Change ${channel.name}` : 'Add channel'}</h2>
      <label htmlFor={`${id}-name`}>Name</label>
      <input
        id={`${id}-name`}
        value={name}
        required
        maxLength={200}
        onChange={(e) => setName(e.target.value)}
      />
      <label htmlFor={`${id}-type`}>Type</label>
      <select
        id={`${id}-type`}
        value={type}
        disabled={channel !== undefined}
        onChange={(e) => {
          setType(e.target.value as ChannelType);
          setValues({});
        }}
      >
        {CHANNEL_TYPES.map((t) => (
          <option key={t} value={t}>
            {TYPE_LABELS[t]}
          </option>
        ))}
      </select>

      <fieldset>
        <legend>{TYPE_LABELS[type]} settings</legend>
        {channel ? (
          <p className="muted small">
            Write-only: leave them empty to keep the current ones; filled, they replace them whole.
          </p>
        ) : null}
        {fields.map((field) => {
          const fieldId = `${id}-${type}-${field.key}`;
          const current = channel?.config[field.key];
          const common = {
            id: fieldId,
            value: values[field.key] ?? '',
            required: field.required && !channel,
            autoComplete: 'off',
            spellCheck: false,
            'aria-describedby': field.hint ? `${fieldId}-hint` : undefined,
            placeholder: Array.isArray(current) ? current.join(', ') : current,
          };
          const set = (value: string) => setValues((v) => ({ ...v, [field.key]: value }));
          return (
            <div key={fieldId} className="field">
              <label htmlFor={fieldId}>{field.label}</label>
              {field.input === 'list' ? (
                <textarea {...common} rows={2} onChange={(e) => set(e.target.value)} />
              ) : (
                <input
                  {...common}
                  type={field.input}
                  maxLength={2048}
                  onChange={(e) => set(e.target.value)}
                />
              )}
              {field.hint ? (
                <span id={`${fieldId}-hint`} className="muted small">
                  {field.hint}
                </span>
              ) : null}
            </div>
          );
        })}
      </fieldset>

      <fieldset>
        <legend>Events</legend>
        {type === 'pagerduty' ? (
          <p className="muted small">PagerDuty opens an incident on these and resolves it on up.</p>
        ) : null}
        <div className="checks">
          {offered.map((event) => (
            <label key={event} className="check">
              <input
                type="checkbox"
                checked={chosenEvents.includes(event)}
                onChange={(e) => setEvents((list) => toggle(list, event, e.target.checked))}
              />{' '}
              {EVENT_LABELS[event]} <code className="muted">{event}</code>
            </label>
          ))}
        </div>
      </fieldset>

      {projects && projects.length > 0 && !channel ? (
        <>
          <label htmlFor={`${id}-project`}>Project</label>
          <select
            id={`${id}-project`}
            value={projectId ?? ''}
            onChange={(e) => setProjectId(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">Every project</option>
            {projects.map((project) => (
              <option key={project.id} value={project.id}>
                {project.name}
              </option>
            ))}
          </select>
        </>
      ) : null}

      <fieldset>
        <legend>Jobs</legend>
        <label className="check">
          <input
            type="radio"
            name={`${id}-scope`}
            checked={!onlySome}
            onChange={() => setOnlySome(false)}
          />{' '}
          Every job{projectId !== null ? ' of the project' : ''}
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-scope`}
            checked={onlySome}
            onChange={() => setOnlySome(true)}
          />{' '}
          Only these jobs
        </label>
        {onlySome ? (
          <div className="checks job-choices" role="group" aria-label="Jobs to notify about">
            {jobsShown.length === 0 ? <p className="muted small">No jobs yet.</p> : null}
            {jobsShown.map((job) => (
              <label key={job.id} className="check">
                <input
                  type="checkbox"
                  checked={jobIds.includes(job.id)}
                  onChange={(e) => setJobIds((list) => toggle(list, job.id, e.target.checked))}
                />{' '}
                {job.name}
              </label>
            ))}
          </div>
        ) : null}
      </fieldset>

      <ErrorNote error={error} />
      <div className="button-row">
        <button type="submit" className="primary" disabled={pending}>
          {channel ? 'Save' : 'Add channel'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
