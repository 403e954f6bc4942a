import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  parseDuration,
  parseMetadata,
  parseStatuses,
  parseStrict,
  splitAtFirstPositional,
} from './args.js';
import { UsageError } from './errors.js';

const HINT = "Try 'chronotrack exec --help'.";
const EXEC = { job: { type: 'string' }, json: { type: 'boolean' } } as const;

describe('command-line parsing', () => {
  it('splits a wrapper command line where the wrapped command begins, with or without --', () => {
    expect(splitAtFirstPositional(['--job', 'k', '--', 'ls', '-la'], EXEC)).toEqual({
      own: ['--job', 'k'],
      rest: ['ls', '-la'],
    });
    expect(splitAtFirstPositional(['--job', 'k', 'ls', '-la', '--', 'x'], EXEC)).toEqual({
      own: ['--job', 'k'],
      rest: ['ls', '-la', '--', 'x'],
    });
    expect(splitAtFirstPositional(['--job', 'k'], EXEC)).toEqual({ own: ['--job', 'k'], rest: [] });
  });

  it("words parseArgs' errors as a shell user expects", () => {
    const message = (args: string[]) => {
      try {
        parseStrict(args, EXEC, HINT);
        return 'parsed';
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as UsageError).message;
      }
    };
    expect(message(['--jbo', 'x'])).toBe("unknown option '--jbo'");
    expect(message(['--job'])).toBe("option '--job' needs a value");
    expect(message(['--json=yes'])).toBe("option '--json' takes no value");
    expect(message(['stray'])).toBe("unexpected argument 'stray'");
  });

  it('reads durations in ms, s, m, h and d (bare numbers are seconds) and prints them back', () => {
    expect(parseDuration('30m', '--timeout', HINT)).toBe(1_800_000);
    expect(parseDuration('90', '--timeout', HINT)).toBe(90_000);
    expect(parseDuration('1.5s', '--timeout', HINT)).toBe(1500);
    expect(parseDuration('250ms', '--timeout', HINT)).toBe(250);
    expect(parseDuration('1d', '--since', HINT)).toBe(86_400_000);
    for (const bad of ['0', '-1s', '5w', 'soon', '', '400d']) {
      expect(() => parseDuration(bad, '--timeout', HINT)).toThrow(/^invalid --timeout/);
    }
    expect(formatDuration(1_800_000)).toBe('30m');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(7_200_000)).toBe('2h');
    expect(formatDuration(1500)).toBe('1500ms');
  });

  it('reads --metadata k=v pairs and --status lists', () => {
    expect(parseMetadata(['host=db-1', 'note=a=b', 'host=db-2'], HINT)).toEqual({
      host: 'db-2',
      note: 'a=b',
    });
    expect(() => parseMetadata(['=x'], HINT)).toThrow("invalid --metadata '=x'");
    expect(parseStatuses(['failed,cancelled', 'FAILED'], HINT)).toEqual(['FAILED', 'CANCELLED']);
    expect(() => parseStatuses(['broken'], HINT)).toThrow("invalid --status 'BROKEN'");
  });
});
