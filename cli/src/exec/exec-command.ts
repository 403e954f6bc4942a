import { constants } from 'node:os';
import { createApi } from '../api.js';
import {
  CONNECTION_OPTIONS,
  formatDuration,
  parseDuration,
  parseMetadata,
  parsePositiveInt,
  parseStrict,
  splitAtFirstPositional,
} from '../args.js';
import { resolveConnection } from '../config.js';
import { UsageError } from '../errors.js';
import { EXEC_HELP } from '../help.js';
import { startChild, type ChildResult, type RunningChild } from './child.js';
import { OutputTail } from './output-tail.js';
import { RunReporter, type FinishBody } from './run-reporter.js';

const HINT = "Try 'chronotrack exec --help'.";
const OPTIONS = {
  ...CONNECTION_OPTIONS,
  job: { type: 'string' },
  timeout: { type: 'string' },
  'kill-after': { type: 'string' },
  metadata: { type: 'string', multiple: true },
  'project-id': { type: 'string' },
  'heartbeat-interval': { type: 'string' },
} as const;

/** The contract's job key: 1-64 of [a-z0-9_-]. */
const JOB_KEY = /^[a-z0-9_-]{1,64}$/;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const warn = (message: string) => process.stderr.write(`chronotrack: ${message}\n`);

/**
 * `chronotrack exec --job <key> [options] -- <command> [args...]`. Returns the exit code: the
 * command's own, 128+n for signal n, 127/126 when it cannot be started. The command line is
 * checked before anything runs (exit 2); the tracker's state never changes what the command does.
 */
export async function execCommand(args: string[]): Promise<number> {
  const { own, rest: command } = splitAtFirstPositional(args, OPTIONS);
  const { values } = parseStrict(own, OPTIONS, HINT);
  if (values.help) {
    process.stdout.write(`${EXEC_HELP}\n`);
    return 0;
  }
  const jobKey = values.job;
  if (jobKey === undefined) throw new UsageError('missing --job <key>', HINT);
  if (!JOB_KEY.test(jobKey)) {
    throw new UsageError(`invalid --job '${jobKey}': a key is 1-64 of a-z, 0-9, '_' and '-'`, HINT);
  }
  const [file, ...fileArgs] = command;
  if (file === undefined) throw new UsageError("missing the command to run, after '--'", HINT);
  const timeoutMs =
    values.timeout === undefined ? undefined : parseDuration(values.timeout, '--timeout', HINT);
  const killAfterMs = parseDuration(values['kill-after'] ?? '10s', '--kill-after', HINT);
  const heartbeatIntervalMs = parseDuration(
    values['heartbeat-interval'] ?? '30s',
    '--heartbeat-interval',
    HINT,
  );
  if (heartbeatIntervalMs < 1000) {
    throw new UsageError('invalid --heartbeat-interval: at least 1s', HINT);
  }
  const metadata = values.metadata ? parseMetadata(values.metadata, HINT) : undefined;
  const projectId =
    values['project-id'] === undefined
      ? undefined
      : parsePositiveInt(values['project-id'], '--project-id', HINT);

  // A missing or bad tracker URL must not cost the job its run either: warn, run unreported.
  let reporter: RunReporter | undefined;
  try {
    const api = createApi(resolveConnection(values, process.env, HINT));
    reporter = new RunReporter({ api, jobKey, projectId, metadata, heartbeatIntervalMs, warn });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    warn(`${error.message}; running the command without reporting it`);
  }

  const state: { child?: RunningChild; finishing: boolean } = { finishing: false };
  const onSignal = (signal: NodeJS.Signals) => {
    // Before the command starts, or while the result is being reported: the user wants out now.
    if (!state.child || state.finishing) process.exit(128 + constants.signals[signal]);
    // The terminal sent these to the command too: a second copy could cut its clean-up short.
    if (state.child.sharesTerminal && signal !== 'SIGTERM') return;
    state.child.signal(signal);
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, onSignal);

  await reporter?.start();
  const tail = new OutputTail();
  const startedAt = new Date();
  state.child = startChild({ command: file, args: fileArgs, tail, timeoutMs, killAfterMs });
  const result = await state.child.done;
  state.finishing = true;

  if (result.kind === 'not-started') warn(notStartedMessage(file, result));
  const outcome = describe(result, file, timeoutMs);
  await reporter?.finish(finishBody(outcome, tail), startedAt);
  for (const signal of FORWARDED_SIGNALS) process.off(signal, onSignal);
  return outcome.exitCode;
}

interface Described {
  exitCode: number;
  /** null: success. */
  errorMessage: string | null;
}

/** The command's end as an exit code (what a shell would report) and the run's error message. */
export function describe(
  result: ChildResult,
  file: string,
  timeoutMs: number | undefined,
): Described {
  const timedOut = result.kind !== 'not-started' && result.timedOut;
  const timeoutMessage = timedOut ? `timed out after ${formatDuration(timeoutMs!)}` : undefined;
  switch (result.kind) {
    case 'exited':
      // A command that exits 0 once told to stop did not finish its work: the wrapper fails too
      // (124, as GNU timeout).
      if (timedOut) return { exitCode: result.code || 124, errorMessage: timeoutMessage! };
      return {
        exitCode: result.code,
        errorMessage: result.code === 0 ? null : `exit code ${result.code}`,
      };
    case 'signalled':
      return {
        exitCode: 128 + (constants.signals[result.signal] ?? 0),
        errorMessage: timeoutMessage ?? `killed by ${result.signal}`,
      };
    case 'not-started':
      if (result.errno === 'ENOENT')
        return { exitCode: 127, errorMessage: `command not found: ${file}` };
      if (result.errno === 'EACCES')
        return { exitCode: 126, errorMessage: `permission denied: ${file}` };
      return { exitCode: 126, errorMessage: `cannot run ${file}: ${result.errno}` };
  }
}

function notStartedMessage(file: string, result: Extract<ChildResult, { kind: 'not-started' }>) {
  // As a shell words it: a name is looked up on PATH, a path is not.
  if (result.errno === 'ENOENT') {
    return file.includes('/') ? `${file}: no such file or directory` : `${file}: command not found`;
  }
  if (result.errno === 'EACCES') return `${file}: permission denied`;
  return `${file}: cannot run it (${result.message})`;
}

function finishBody({ exitCode, errorMessage }: Described, tail: OutputTail): FinishBody {
  if (errorMessage === null) return { status: 'SUCCESS', exitCode };
  const output = tail.text();
  return { status: 'FAILED', exitCode, errorMessage, ...(output && { output }) };
}
