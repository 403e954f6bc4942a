import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

/**
 * Command-line parsing on node:util's parseArgs, with the messages a shell user expects
 * ("unknown option '--jbo'") instead of Node's, and the value checks every command shares.
 */

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes: where the tracker is and how to authenticate. */
export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

/**
 * Parses `args` strictly against `options`. `hint` names the help to read, for the error.
 * Returns parseArgs' values and positionals.
 */
export function parseStrict<O extends OptionSpecs>(
  args: string[],
  options: O,
  hint: string,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(parseErrorMessage(error), hint);
  }
}

/**
 * Splits `args` where the first positional argument (or a `--`) begins, for commands that wrap
 * another one: `exec --job k ls -la` gives `[--job k]` and `[ls, -la]`, so the wrapped command's
 * own options are never read as ours. parseArgs (not strict) knows which options take a value.
 */
export function splitAtFirstPositional(args: string[], options: OptionSpecs) {
  const { tokens } = parseArgs({
    args,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const first = tokens.find((t) => t.kind === 'positional' || t.kind === 'option-terminator');
  if (!first) return { own: args, rest: [] as string[] };
  const restStart = first.kind === 'option-terminator' ? first.index + 1 : first.index;
  return { own: args.slice(0, first.index), rest: args.slice(restStart) };
}

function parseErrorMessage(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(message ?? '')?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${quoted}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      // "Option '--job <value>' argument missing" or "Option '--json' does not take an argument"
      return /does not take/.test(message ?? '')
        ? `option '${quoted}' takes no value`
        : `option '${quoted.replace(/ <value>$/, '')}' needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted}'`;
    default:
      return message ?? String(error);
  }
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A duration such as `90s`, `30m`, `2h`, `1d` or `500ms`; a bare number is seconds. Returns
 * milliseconds; anything else (zero, negative, other units) is a usage error naming `option`.
 */
export function parseDuration(value: string, option: string, hint: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS] : NaN;
  if (!Number.isFinite(ms) || ms < 1 || ms > 366 * UNIT_MS.d) {
    throw new UsageError(
      `invalid ${option} '${value}': expected a duration such as 30s, 30m, 2h or 1d`,
      hint,
    );
  }
  return Math.round(ms);
}

/** A duration in its shortest exact unit, for messages: 1800000 → "30m". */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/** A positive integer option (`--limit`, `--project-id`, a run id). */
export function parsePositiveInt(value: string, what: string, hint: string, max?: number): number {
  const n = /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || (max !== undefined && n > max)) {
    const range = max === undefined ? 'a positive integer' : `an integer from 1 to ${max}`;
    throw new UsageError(`invalid ${what} '${value}': expected ${range}`, hint);
  }
  return n;
}

/** `--metadata k=v`, repeated: one object; a later key wins. */
export function parseMetadata(pairs: string[], hint: string): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`invalid --metadata '${pair}': expected key=value`, hint);
    metadata[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return metadata;
}

export const RUN_STATUSES = ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** `--status failed,cancelled` or repeated: upper-cased, checked against the run statuses. */
export function parseStatuses(values: string[], hint: string): RunStatus[] {
  const statuses = values.flatMap((v) => v.split(',')).map((v) => v.trim().toUpperCase());
  for (const status of statuses) {
    if (!(RUN_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(
        `invalid --status '${status}': expected one of ${RUN_STATUSES.join(', ')}`,
        hint,
      );
    }
  }
  return [...new Set(statuses)] as RunStatus[];
}
