import type { Run } from '../api.js';
import {
  CONNECTION_OPTIONS,
  parseDuration,
  parsePositiveInt,
  parseStatuses,
  parseStrict,
} from '../args.js';
import { UsageError } from '../errors.js';
import { duration, json, oneLine, status, styleFor, table, time } from '../format.js';
import { RUNS_HELP } from '../help.js';
import { reader, type Reader } from './read.js';

const HINT = "Try 'chronotrack runs --help'.";
const LS_OPTIONS = {
  ...CONNECTION_OPTIONS,
  job: { type: 'string' },
  status: { type: 'string', multiple: true },
  since: { type: 'string' },
  limit: { type: 'string' },
  'project-id': { type: 'string' },
  json: { type: 'boolean' },
} as const;
const SHOW_OPTIONS = { ...CONNECTION_OPTIONS, json: { type: 'boolean' } } as const;

/** `chronotrack runs ls` and `chronotrack runs show <id>`. */
export async function runsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '-h' || sub === '--help') {
    process.stdout.write(`${RUNS_HELP}\n`);
    return 0;
  }
  if (sub === 'ls' || sub === 'list') return listRuns(rest);
  if (sub === 'show') return showRun(rest);
  if (sub === undefined || sub.startsWith('-')) {
    throw new UsageError("missing a runs command: 'runs ls' or 'runs show <id>'", HINT);
  }
  throw new UsageError(`unknown runs command '${sub}'`, HINT);
}

async function listRuns(args: string[]): Promise<number> {
  const { values } = parseStrict(args, LS_OPTIONS, HINT);
  if (values.help) {
    process.stdout.write(`${RUNS_HELP}\n`);
    return 0;
  }
  const limit = values.limit === undefined ? 20 : parsePositiveInt(values.limit, '--limit', HINT);
  const filters = {
    ...(values.status && { status: parseStatuses(values.status, HINT) }),
    ...(values.since !== undefined && { createdAfter: since(values.since) }),
    ...(values['project-id'] !== undefined && {
      projectId: String(parsePositiveInt(values['project-id'], '--project-id', HINT)),
    }),
  };
  const jobKey = values.job;
  const reading = reader(values, HINT);

  const runs: Run[] = [];
  let cursor: string | undefined;
  do {
    const query = {
      ...filters,
      limit: String(Math.min(200, limit - runs.length)),
      ...(cursor && { cursor }),
    };
    const page = await reading.read((api, signal) =>
      jobKey === undefined
        ? api.GET('/runs', { params: { query }, signal })
        : api.GET('/jobs/by-key/{key}/runs', { params: { path: { key: jobKey }, query }, signal }),
    );
    runs.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && runs.length < limit);

  if (values.json) {
    process.stdout.write(json(runs));
    return 0;
  }
  if (runs.length === 0) {
    process.stderr.write('No runs.\n');
    return 0;
  }
  const keys = jobKey === undefined ? await jobKeys(reading, runs) : new Map<number, string>();
  const style = styleFor(process.stdout, process.env);
  const rows = runs.map((run) => [
    String(run.id),
    jobKey ?? keys.get(run.jobId) ?? String(run.jobId),
    status(run.status, style),
    time(run.startedAt ?? run.createdAt),
    duration(run.durationMs),
    run.exitCode === null ? '' : String(run.exitCode),
    oneLine(run.errorMessage),
  ]);
  const headers = ['ID', 'JOB', 'STATUS', 'STARTED', 'DURATION', 'EXIT', 'ERROR'];
  process.stdout.write(`${table(headers, rows)}\n`);
  return 0;
}

async function showRun(args: string[]): Promise<number> {
  const { values, positionals } = parseStrict(args, SHOW_OPTIONS, HINT, true);
  if (values.help) {
    process.stdout.write(`${RUNS_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? 'missing the run id' : `unexpected argument '${positionals[1]}'`,
      HINT,
    );
  }
  const runId = String(parsePositiveInt(positionals[0]!, 'run id', HINT));
  const reading = reader(values, HINT);
  const run = await reading.read((api, signal) =>
    api.GET('/runs/{runId}', { params: { path: { runId } }, signal }),
  );
  if (values.json) {
    process.stdout.write(json(run));
    return 0;
  }
  const key = (await jobKeys(reading, [run])).get(run.jobId);
  const style = styleFor(process.stdout, process.env);
  const fields: [string, string][] = [
    ['Job', key ? `${key} (id ${run.jobId})` : `id ${run.jobId}`],
    ['Status', status(run.status, style)],
    ['Created', time(run.createdAt)],
    ['Started', time(run.startedAt)],
    ['Finished', time(run.finishedAt)],
    ['Duration', duration(run.durationMs)],
    ['Exit code', run.exitCode === null ? '-' : String(run.exitCode)],
    ['Error', run.errorMessage ?? '-'],
    ['Heartbeat', time(run.lastHeartbeatAt)],
    ['Metadata', run.metadata ? JSON.stringify(run.metadata) : '-'],
  ];
  const width = Math.max(...fields.map(([name]) => name.length)) + 2;
  let text = `Run ${run.id}\n`;
  for (const [name, value] of fields) text += `${`${name}:`.padEnd(width)}${value}\n`;
  if (run.output) {
    text += `\nOutput (tail):\n${run.output}${run.output.endsWith('\n') ? '' : '\n'}`;
  }
  process.stdout.write(text);
  return 0;
}

/** `--since 1d` (back from now) or `--since 2026-11-24T00:00:00Z`: the createdAfter bound. */
function since(value: string): string {
  if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}T/.test(value)) {
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) {
      throw new UsageError(`invalid --since '${value}': not a date-time`, HINT);
    }
    return at.toISOString();
  }
  return new Date(Date.now() - parseDuration(value, '--since', HINT)).toISOString();
}

/** The keys of the runs' jobs, for people (the run list names only job ids); best effort. */
async function jobKeys(reading: Reader, runs: Run[]): Promise<Map<number, string>> {
  const ids = [...new Set(runs.map((run) => run.jobId))];
  const found = await Promise.all(
    ids.map((id) =>
      reading
        .read((api, signal) =>
          api.GET('/jobs/{id}', { params: { path: { id: String(id) } }, signal }),
        )
        .then((job) => [id, job.key] as const)
        .catch(() => undefined),
    ),
  );
  return new Map(found.filter((entry) => entry !== undefined));
}
