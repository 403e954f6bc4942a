/**
 * The two ways a chronotrack command fails on its own account (a wrapped command's failure is
 * not one of them: `exec` passes its exit code through). main.ts prints either as one line, never
 * a stack trace.
 */

/** The command line is wrong: exit 2, with a hint naming the help to read. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The tracker refused or could not be reached: exit 1. */
export class CliError extends Error {}

export const EXIT_API_ERROR = 1;
export const EXIT_USAGE = 2;
