#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { jobsCommand } from './commands/jobs-command.js';
import { runsCommand } from './commands/runs-command.js';
import { CliError, EXIT_API_ERROR, EXIT_USAGE, UsageError } from './errors.js';
import { execCommand } from './exec/exec-command.js';
import { MAIN_HELP } from './help.js';
import { VERSION } from './version.js';

/**
 * The `chronotrack` command. Options before the command name (`chronotrack --url X jobs ls`)
 * are handed to it; every failure ends as one line on stderr and an exit code, never a stack.
 */

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  exec: execCommand,
  jobs: jobsCommand,
  runs: runsCommand,
};
const HINT = "Try 'chronotrack --help'.";

async function main(argv: string[]): Promise<number> {
  // Split where the command name begins; the options before it are checked by the command.
  const { tokens } = parseArgs({
    args: argv,
    options: { url: { type: 'string' }, 'api-key': { type: 'string' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const name = tokens.find((t) => t.kind === 'positional' || t.kind === 'option-terminator');
  const before = argv.slice(0, name?.index ?? argv.length);
  if (before.includes('-V') || before.includes('--version')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (before.includes('-h') || before.includes('--help') || argv.length === 0) {
    process.stdout.write(`${MAIN_HELP}\n`);
    return argv.length === 0 ? EXIT_USAGE : 0;
  }
  if (name?.kind !== 'positional') throw new UsageError('missing a command', HINT);
  const command = COMMANDS[name.value];
  if (!command) throw new UsageError(`unknown command '${name.value}'`, HINT);
  const rest = argv.slice(name.index + 1);
  // `jobs` and `runs` take a subcommand first: global options go after it.
  return name.value === 'exec'
    ? command([...before, ...rest])
    : command([...rest.slice(0, 1), ...before, ...rest.slice(1)]);
}

/**
 * Lets buffered output out before exiting (bounded: a closed pipe never drains). An empty write's
 * callback runs once every earlier write is out. Waiting for 'drain' instead never ended when the
 * buffer was below the high-water mark ('drain' only follows a refused write): with only an
 * unref'd timer left, Node ended the process with 13 (unsettled top-level await) instead of the
 * command's exit code.
 */
async function flush(stream: NodeJS.WriteStream) {
  if (stream.writableLength === 0) return;
  await new Promise<void>((resolve) => {
    const bound = setTimeout(resolve, 2_000);
    stream.write('', () => {
      clearTimeout(bound);
      resolve();
    });
  });
}

let code: number;
try {
  code = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`chronotrack: ${error.message}\n${error.hint}\n`);
    code = EXIT_USAGE;
  } else if (error instanceof CliError) {
    process.stderr.write(`chronotrack: ${error.message}\n`);
    code = EXIT_API_ERROR;
  } else {
    process.stderr.write(`chronotrack: internal error: ${(error as Error)?.message ?? error}\n`);
    code = EXIT_API_ERROR;
  }
}
await Promise.all([flush(process.stdout), flush(process.stderr)]);
process.exit(code);
