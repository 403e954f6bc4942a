import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/cli/cli-process.js';
import { startTracker, type Tracker } from '../../../test/cli/tracker.js';

/** jobs ls, runs ls and runs show against a real tracker: the tables people read, the JSON scripts read. */

describe('reading commands', () => {
  let tracker: Tracker;
  let backup: any;
  const runs: any[] = [];
  const cli = async (...args: string[]) => {
    const result = await runCli(args, { env: tracker.env });
    return { ...result, out: result.stdout.toString() };
  };
  /** Each header's column starts where that column's cell starts, on every row. */
  const expectAligned = (text: string, headers: string[], cells: string[][]) => {
    const [head, ...rows] = text.trimEnd().split('\n');
    expect(rows).toHaveLength(cells.length);
    rows.forEach((row, r) =>
      headers.forEach((header, c) => {
        const cell = cells[r]![c]!;
        if (cell)
          expect(row.indexOf(cell, c === 0 ? 0 : 1), `${header} of row ${r}`).toBe(
            head!.indexOf(header),
          );
      }),
    );
  };

  beforeAll(async () => {
    tracker = await startTracker();
    backup = (await tracker.api('POST', '/jobs', { name: 'Nightly backup', key: 'nightly-backup' }))
      .body;
    await tracker.api('POST', '/jobs', { name: 'Weekly report' }); // key derived: weekly-report
    const finishes = [
      { status: 'SUCCESS', exitCode: 0 },
      { status: 'FAILED', exitCode: 2, errorMessage: 'exit code 2', output: 'disk full\n' },
      undefined, // still RUNNING
    ];
    for (const finish of finishes) {
      let run = (await tracker.api('POST', `/jobs/${backup.id}/runs`, { status: 'RUNNING' })).body;
      if (finish) run = (await tracker.api('PATCH', `/runs/${run.id}`, finish)).body;
      runs.push(run);
    }
  });
  afterAll(() => tracker?.close());

  it('jobs ls: newest first, key, name, last run and 7-day success, aligned', async () => {
    const result = await cli('jobs', 'ls');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KEY +NAME +LAST RUN +SUCCESS 7D$/);
    expect(lines[1]).toMatch(/^weekly-report +Weekly report +never +-$/);
    expect(lines[2]).toMatch(
      /^nightly-backup +Nightly backup +RUNNING (just now|\d+s ago) +50% of 2$/,
    );
    expectAligned(
      result.out,
      ['KEY', 'NAME', 'LAST RUN'],
      [
        ['weekly-report', 'Weekly report', 'never'],
        ['nightly-backup', 'Nightly backup', 'RUNNING'],
      ],
    );
    expect(result.out).not.toContain('\x1b['); // no colours in a pipe
  });

  it('jobs ls --json: the jobs as the API returns them', async () => {
    const result = await cli('jobs', 'ls', '--json');
    expect(result.code).toBe(0);
    const jobs = JSON.parse(result.out);
    expect(jobs.map((job: any) => job.key)).toEqual(['weekly-report', 'nightly-backup']);
    // As created, but it has run since: health and lastRunAt are derived from its runs.
    expect(jobs[1]).toEqual({
      ...backup,
      health: expect.any(String),
      lastRunAt: expect.any(String),
    });
  });

  it('runs ls: newest first with the job key, status, start, duration, exit code and error', async () => {
    const result = await cli('runs', 'ls');
    expect(result.code).toBe(0);
    const [running, failed, succeeded] = [runs[2], runs[1], runs[0]];
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +JOB +STATUS +STARTED +DURATION +EXIT +ERROR$/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${running.id} +nightly-backup +RUNNING +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +-$`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^${failed.id} +nightly-backup +FAILED +[-0-9: ]+ +\\d+ms +2 +exit code 2$`),
    );
    expect(lines[3]).toMatch(
      new RegExp(`^${succeeded.id} +nightly-backup +SUCCESS +[-0-9: ]+ +\\d+ms +0$`),
    );
    expect(lines[1]).toContain(runs[2].startedAt.slice(0, 10)); // UTC here (TZ=UTC)
  });

  it('runs ls filters: --job, --status, --since, --limit', async () => {
    const ids = (text: string) =>
      text
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((line) => Number(line.split(' ')[0]));
    expect(ids((await cli('runs', 'ls', '--job', 'nightly-backup')).out)).toEqual([
      runs[2].id,
      runs[1].id,
      runs[0].id,
    ]);
    expect(ids((await cli('runs', 'ls', '--status', 'failed,success')).out)).toEqual([
      runs[1].id,
      runs[0].id,
    ]);
    expect(
      ids((await cli('runs', 'ls', '--job', 'nightly-backup', '--status', 'FAILED')).out),
    ).toEqual([runs[1].id]);
    expect(ids((await cli('runs', 'ls', '--since', '1d')).out)).toHaveLength(3);
    expect(ids((await cli('runs', 'ls', '--limit', '2')).out)).toEqual([runs[2].id, runs[1].id]);
    const future = await cli('runs', 'ls', '--since', '2999-01-01T00:00:00Z');
    expect(future).toMatchObject({ code: 0, out: '', stderr: 'No runs.\n' });
    const none = await cli('runs', 'ls', '--job', 'weekly-report');
    expect(none).toMatchObject({ code: 0, out: '', stderr: 'No runs.\n' });
  });

  it('runs ls --json: the runs as the API lists them (no output); --limit pages past 200', async () => {
    const result = await cli('runs', 'ls', '--json', '--job', 'nightly-backup');
    const listed = JSON.parse(result.out);
    expect(listed.map((run: any) => run.id)).toEqual([runs[2].id, runs[1].id, runs[0].id]);
    expect(listed[1]).toMatchObject({ status: 'FAILED', exitCode: 2, errorMessage: 'exit code 2' });
    expect(listed[1]).not.toHaveProperty('output');

    const many = (await tracker.api('POST', '/jobs', { name: 'many' })).body;
    for (let i = 0; i < 205; i++) await tracker.api('POST', `/jobs/${many.id}/runs`, {});
    const paged = JSON.parse(
      (await cli('runs', 'ls', '--json', '--job', 'many', '--limit', '203')).out,
    );
    expect(paged).toHaveLength(203);
    expect(new Set(paged.map((run: any) => run.id)).size).toBe(203);
  });

  it('runs show: every field, then the output tail; --json as GET /api/runs/{id}', async () => {
    const failed = runs[1];
    const result = await cli('runs', 'show', String(failed.id));
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      new RegExp(
        [
          `^Run ${failed.id}`,
          `Job: +nightly-backup \\(id ${backup.id}\\)`,
          'Status: +FAILED',
          'Created: +[-0-9: ]+',
          'Started: +[-0-9: ]+',
          'Finished: +[-0-9: ]+',
          'Duration: +\\d+ms',
          'Exit code: +2',
          'Error: +exit code 2',
          'Heartbeat: +-',
          'Metadata: +-',
          '',
          'Output \\(tail\\):',
          'disk full',
          '$',
        ].join('\n'),
      ),
    );
    const json = await cli('runs', 'show', String(failed.id), '--json');
    expect(JSON.parse(json.out)).toEqual((await tracker.api('GET', `/runs/${failed.id}`)).body);
    expect(JSON.parse(json.out).output).toBe('disk full\n');
  });

  it('a job key that does not exist: the problem on stderr, exit 1', async () => {
    const result = await cli('runs', 'ls', '--job', 'no-such-job');
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.stderr).toMatch(/^chronotrack: Not Found: .+\n$/);
  });
});
