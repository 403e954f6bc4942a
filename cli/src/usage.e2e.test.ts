import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { freePort } from '../../test/support/node-process.js';
import { runCli } from '../../test/cli/cli-process.js';
import { startTracker, type Tracker } from '../../test/cli/tracker.js';

/** What a shell user sees when asking for help or getting it wrong: exit codes and one line. */

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

describe('chronotrack help, version and errors', () => {
  let tracker: Tracker;
  let env: Record<string, string>;

  beforeAll(async () => {
    tracker = await startTracker();
    env = tracker.env;
  });
  afterAll(() => tracker?.close());

  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.toString()).toBe(`${version}\n`);
    }
  });

  it('--help for the tool and for every command, on stdout, exit 0', async () => {
    const cases: [string[], string][] = [
      [['--help'], 'Usage: chronotrack <command>'],
      [['-h'], 'Usage: chronotrack <command>'],
      [['exec', '--help'], 'Usage: chronotrack exec --job <key>'],
      [['exec', '--job', 'x', '--help'], 'Usage: chronotrack exec --job <key>'],
      [['jobs', '--help'], 'Usage: chronotrack jobs ls'],
      [['jobs', 'ls', '--help'], 'Usage: chronotrack jobs ls'],
      [['runs', '--help'], 'Usage: chronotrack runs ls'],
      [['runs', 'ls', '-h'], 'Usage: chronotrack runs ls'],
      [['runs', 'show', '--help'], 'chronotrack runs show <id>'],
    ];
    for (const [args, first] of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout.toString()).toContain(first);
      expect(result.stderr).toBe('');
    }
  });

  it('usage errors exit 2 with a one-line message and a hint, never running anything', async () => {
    const cases: [string[], string, string][] = [
      [[], '', ''], // no arguments: the help, exit 2
      [['frobnicate'], "chronotrack: unknown command 'frobnicate'", "Try 'chronotrack --help'."],
      [
        ['exec', '--', 'true'],
        'chronotrack: missing --job <key>',
        "Try 'chronotrack exec --help'.",
      ],
      [
        ['exec', '--job', 'Nightly Backup', '--', 'true'],
        "chronotrack: invalid --job 'Nightly Backup': a key is 1-64 of a-z, 0-9, '_' and '-'",
        "Try 'chronotrack exec --help'.",
      ],
      [
        ['exec', '--job', 'x'],
        "chronotrack: missing the command to run, after '--'",
        "Try 'chronotrack exec --help'.",
      ],
      [
        ['exec', '--job', 'x', '--timeout', 'soon', '--', 'true'],
        "chronotrack: invalid --timeout 'soon': expected a duration such as 30s, 30m, 2h or 1d",
        "Try 'chronotrack exec --help'.",
      ],
      [
        ['exec', '--jbo', 'x', '--', 'true'],
        "chronotrack: unknown option '--jbo'",
        "Try 'chronotrack exec --help'.",
      ],
      [
        ['jobs'],
        "chronotrack: missing a jobs command: 'jobs ls'",
        "Try 'chronotrack jobs ls --help'.",
      ],
      [
        ['jobs', 'ls', '--limit', '0'],
        "chronotrack: invalid --limit '0': expected a positive integer",
        "Try 'chronotrack jobs ls --help'.",
      ],
      [
        ['runs', 'ls', '--status', 'broken'],
        "chronotrack: invalid --status 'BROKEN': expected one of PENDING, RUNNING, SUCCESS, FAILED, CANCELLED",
        "Try 'chronotrack runs --help'.",
      ],
      [['runs', 'show'], 'chronotrack: missing the run id', "Try 'chronotrack runs --help'."],
      [
        ['runs', 'show', 'abc'],
        "chronotrack: invalid run id 'abc': expected a positive integer",
        "Try 'chronotrack runs --help'.",
      ],
      [
        ['runs', 'ls'],
        'chronotrack: no tracker URL: set CHRONOTRACK_URL or pass --url',
        "Try 'chronotrack runs --help'.",
      ],
      [
        ['runs', 'ls', '--url', 'ftp://x'],
        "chronotrack: invalid tracker URL 'ftp://x': expected http(s)://host[:port]",
        "Try 'chronotrack runs --help'.",
      ],
    ];
    for (const [args, message, hint] of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      if (args.length === 0) {
        expect(result.stdout.toString()).toContain('Usage: chronotrack');
        continue;
      }
      expect(result.stderr, args.join(' ')).toBe(`${message}\n${hint}\n`);
      expect(result.stdout.toString()).toBe('');
    }
  });

  it('API errors print the problem title and detail and exit 1', async () => {
    const missing = await runCli(['runs', 'show', '987654321'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('chronotrack: Not Found: Run 987654321 does not exist.\n');
    const unauthorised = await runCli(['runs', 'ls'], {
      env: { ...env, CHRONOTRACK_API_KEY: 'ct_not_a_real_key_at_all_0123456789abcd' },
    });
    expect(unauthorised.code).toBe(1);
    expect(unauthorised.stderr).toMatch(/^chronotrack: Unauthorized: .+\n$/);
    const noKey = await runCli(['jobs', 'ls'], { env: { CHRONOTRACK_URL: tracker.url } });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/^chronotrack: Unauthorized: /);
  });

  it('flags win over the environment; the URL may name /api or not', async () => {
    const result = await runCli(
      ['runs', 'show', '987654321', '--url', `${tracker.url}/api/`, '--api-key', TEST_ADMIN_KEY],
      { env: { CHRONOTRACK_URL: 'http://127.0.0.1:1', CHRONOTRACK_API_KEY: 'ct_wrong' } },
    );
    expect(result.stderr).toBe('chronotrack: Not Found: Run 987654321 does not exist.\n');
    const before = await runCli(['--url', tracker.url, 'runs', 'show', '987654321'], {
      env: { CHRONOTRACK_API_KEY: TEST_ADMIN_KEY },
    });
    expect(before.stderr).toBe('chronotrack: Not Found: Run 987654321 does not exist.\n');
  });

  it('an unreachable tracker is one line and exit 1 for the reading commands', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await runCli(['jobs', 'ls'], { env: { ...env, CHRONOTRACK_URL: url } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `chronotrack: cannot reach the tracker at ${url}/api: ECONNREFUSED\n`,
    );
  });
});
