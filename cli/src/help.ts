/** The help texts: one per command, printed by `--help` and named by every usage error's hint. */

const CONNECTION = `Connection (every command):
  --url <url>            the tracker, e.g. http://tracker:3000 (default: $CHRONOTRACK_URL)
  --api-key <key>        an API key (default: $CHRONOTRACK_API_KEY; prefer the variable:
                         other users can read command lines in ps)
  -h, --help             show this help`;

export const MAIN_HELP = `Usage: chronotrack <command> [options]

Reports commands (cron jobs, scripts) to a ChronoTrack tracker as runs, and reads the history.

Commands:
  exec --job <key> -- <command> [args...]   run a command and report it as a run of a job
  jobs ls                                   list jobs with their last run
  runs ls                                   list runs, newest first
  runs show <id>                            show one run, with the tail of its output

Options:
  --url <url>            the tracker (default: $CHRONOTRACK_URL)
  --api-key <key>        an API key (default: $CHRONOTRACK_API_KEY)
  -h, --help             show help
  -V, --version          print the version

Run 'chronotrack <command> --help' for a command's options.
Docs: docs/cli.md`;

export const EXEC_HELP = `Usage: chronotrack exec --job <key> [options] [--] <command> [args...]

Runs <command> with its stdin, stdout and stderr passed through, and reports it to the tracker:
a RUNNING run of the job <key> (created on first use with a write key), heartbeats while it runs,
then SUCCESS (exit 0) or FAILED with the exit code, the signal and the last 10 KB of output.
Exits with the command's exit code (128+n when killed by signal n; 127 when the command is not
found, 126 when it cannot be run). The tracker being down never stops the command: one warning
line on stderr, and the command runs and exits as it would have.

Options:
  --job <key>            the job's key: 1-64 of a-z 0-9 _ - (required)
  --timeout <duration>   terminate the command after this long (SIGTERM, then SIGKILL) and fail
                         the run with "timed out after <duration>": 90s, 30m, 2h, 1d
  --kill-after <duration>
                         after the timeout's SIGTERM, wait this long before SIGKILL (default 10s)
  --metadata <k=v>       store k=v in the run's metadata (repeatable)
  --project-id <n>       the job's project, for a key that sees every project (default 1)
  --heartbeat-interval <duration>
                         time between heartbeats (default 30s)

${CONNECTION}

Examples:
  chronotrack exec --job nightly-backup -- /usr/local/bin/backup.sh
  chronotrack exec --job etl --timeout 2h --metadata host=$(hostname) -- python etl.py --full`;

export const JOBS_HELP = `Usage: chronotrack jobs ls [options]

Lists jobs, newest first: key, name, last run and success over the last 7 days.

Options:
  --limit <n>            at most n jobs (default 50)
  --archived             include archived jobs
  --project-id <n>       only this project's jobs
  --json                 print the jobs as JSON (as GET /api/jobs returns them)

${CONNECTION}`;

export const RUNS_HELP = `Usage: chronotrack runs ls [options]
       chronotrack runs show <id> [--json]

'runs ls' lists runs, newest first; 'runs show' shows one run with its output tail.

Options of runs ls:
  --job <key>            only this job's runs
  --status <status>      only runs in this status: PENDING, RUNNING, SUCCESS, FAILED or
                         CANCELLED (repeatable, or comma-separated)
  --since <when>         only runs created since: a duration back from now (30m, 1d) or an
                         ISO-8601 time (2026-11-24T00:00:00Z)
  --limit <n>            at most n runs (default 20)
  --project-id <n>       only this project's runs
  --json                 print the runs as JSON (as the API returns them)

${CONNECTION}

Examples:
  chronotrack runs ls --job nightly-backup --status failed --since 7d
  chronotrack runs show 42`;
