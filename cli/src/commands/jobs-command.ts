import type { components } from '../../../openapi/schema.js';
import { CONNECTION_OPTIONS, parsePositiveInt, parseStrict } from '../args.js';
import { UsageError } from '../errors.js';
import { ago, json, status, styleFor, table } from '../format.js';
import { JOBS_HELP } from '../help.js';
import { reader } from './read.js';

type JobSummary = components['schemas']['JobSummary'];

const HINT = "Try 'chronotrack jobs ls --help'.";
const OPTIONS = {
  ...CONNECTION_OPTIONS,
  limit: { type: 'string' },
  archived: { type: 'boolean' },
  'project-id': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `chronotrack jobs ls`: one page of GET /api/jobs/summaries per 200 jobs. */
export async function jobsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '-h' || sub === '--help') {
    process.stdout.write(`${JOBS_HELP}\n`);
    return 0;
  }
  if (sub === undefined || sub.startsWith('-')) {
    throw new UsageError("missing a jobs command: 'jobs ls'", HINT);
  }
  if (sub !== 'ls' && sub !== 'list') {
    throw new UsageError(`unknown jobs command '${sub}'`, HINT);
  }
  const { values } = parseStrict(rest, OPTIONS, HINT);
  if (values.help) {
    process.stdout.write(`${JOBS_HELP}\n`);
    return 0;
  }
  const limit = values.limit === undefined ? 50 : parsePositiveInt(values.limit, '--limit', HINT);
  const projectId =
    values['project-id'] === undefined
      ? undefined
      : String(parsePositiveInt(values['project-id'], '--project-id', HINT));
  const { read } = reader(values, HINT);

  const summaries: JobSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await read((api, signal) =>
      api.GET('/jobs/summaries', {
        params: {
          query: {
            limit: String(Math.min(200, limit - summaries.length)),
            window: '7d',
            ...(cursor && { cursor }),
            ...(values.archived && { archived: 'all' as const }),
            ...(projectId && { projectId }),
          },
        },
        signal,
      }),
    );
    summaries.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && summaries.length < limit);

  if (values.json) {
    process.stdout.write(json(summaries.map((s) => s.job)));
    return 0;
  }
  if (summaries.length === 0) {
    process.stderr.write('No jobs.\n');
    return 0;
  }
  const style = styleFor(process.stdout, process.env);
  const rows = summaries.map(({ job, recentRuns, stats }) => {
    const last = recentRuns[0];
    const decided = stats.counts.SUCCESS + stats.counts.FAILED;
    return [
      job.key,
      job.archived ? `${job.name} (archived)` : job.name,
      last ? `${status(last.status, style)} ${ago(last.createdAt)}` : 'never',
      stats.successRate === null ? '-' : `${Math.round(stats.successRate * 100)}% of ${decided}`,
    ];
  });
  process.stdout.write(`${table(['KEY', 'NAME', 'LAST RUN', 'SUCCESS 7D'], rows)}\n`);
  return 0;
}
