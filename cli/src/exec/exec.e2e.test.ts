import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/node-process.js';
import { eventually, runCli, startCli, untilFileExists } from '../../../test/cli/cli-process.js';
import { startTracker, useTracker } from '../../../test/cli/tracker.js';

/**
 * `chronotrack exec` against a real tracker process: the run it creates by job key, how it
 * finishes it for each way a command can end, and what happens when the tracker goes away and
 * comes back.
 */

const node = process.execPath;
describe('exec against a tracker', () => {
  const { dir, tracker } = useTracker('chronotrack-cli-exec-');

  /** The job's runs, newest first, and the newest one in full (output included). */
  const runsOf = async (key: string) => {
    const list = await tracker().api('GET', `/jobs/by-key/${key}/runs`);
    expect(list.status).toBe(200);
    return list.body.data as any[];
  };
  const onlyRun = async (key: string) => {
    const runs = await runsOf(key);
    expect(runs).toHaveLength(1);
    return (await tracker().api('GET', `/runs/${runs[0].id}`)).body;
  };

  it('success: creates the job on first use, a RUNNING run, then SUCCESS with exit code 0', async () => {
    const result = await runCli(
      [
        'exec',
        '--job',
        'nightly-backup',
        '--metadata',
        'host=db-1',
        '--',
        'sh',
        '-c',
        'echo backed up',
      ],
      { env: tracker().env },
    );
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('backed up\n');
    expect(result.stderr).toBe('');
    const job = await tracker().api('GET', '/jobs/by-key/nightly-backup');
    expect(job.body).toMatchObject({ key: 'nightly-backup', name: 'nightly-backup' });
    const run = await onlyRun('nightly-backup');
    expect(run).toMatchObject({
      jobId: job.body.id,
      status: 'SUCCESS',
      exitCode: 0,
      errorMessage: null,
      output: null,
      metadata: { host: 'db-1' },
    });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('failure: FAILED with the exit code, and only the last 10 KB of output stored', async () => {
    // 30,000 bytes of numbered lines, then a last line on stderr: the tail is combined output.
    const script =
      "let s='';for(let i=0;s.length<30000;i++)s+=`line ${i}\\n`;process.stdout.write(s);" +
      "setTimeout(()=>{process.stderr.write('the end\\n');process.exit(3)},100)";
    const result = await runCli(['exec', '--job', 'failing', '--', node, '-e', script], {
      env: tracker().env,
    });
    expect(result.code).toBe(3);
    const printed = result.stdout.toString();
    expect(printed.length).toBeGreaterThanOrEqual(30000);
    expect(result.stderr).toBe('the end\n');
    const run = await onlyRun('failing');
    expect(run).toMatchObject({ status: 'FAILED', exitCode: 3, errorMessage: 'exit code 3' });
    const combined = printed + 'the end\n';
    expect(run.output).toHaveLength(10 * 1024);
    expect(run.output).toBe(combined.slice(-10 * 1024));
    // Never in list pages.
    expect((await runsOf('failing'))[0]).not.toHaveProperty('output');
  });

  it('a signal: the command kills itself with SIGTERM → exit 143, run FAILED "killed by SIGTERM"', async () => {
    const result = await runCli(
      ['exec', '--job', 'signalled', '--', 'sh', '-c', 'echo about to go; kill -TERM $$'],
      { env: tracker().env },
    );
    expect(result.code).toBe(143);
    expect(await onlyRun('signalled')).toMatchObject({
      status: 'FAILED',
      exitCode: 143,
      errorMessage: 'killed by SIGTERM',
      output: 'about to go\n',
    });
  });

  it('SIGINT to the wrapper reaches the command; the run says so', async () => {
    const script =
      "process.on('SIGINT',()=>{console.log('interrupted');process.exit(130)});console.log('ready');setInterval(()=>{},1000)";
    const cli = startCli(['exec', '--job', 'interrupted', '--', node, '-e', script], {
      env: tracker().env,
    });
    await cli.waitForStdout('ready');
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result.code).toBe(130);
    expect(result.stdout.toString()).toBe('ready\ninterrupted\n');
    expect(await onlyRun('interrupted')).toMatchObject({
      status: 'FAILED',
      exitCode: 130,
      errorMessage: 'exit code 130',
    });
  });

  it('a command that does not exist: exit 127, run FAILED "command not found"', async () => {
    const result = await runCli(['exec', '--job', 'missing-cmd', '--', 'no-such-command-xyz'], {
      env: tracker().env,
    });
    expect(result.code).toBe(127);
    expect(result.stderr).toBe('chronotrack: no-such-command-xyz: command not found\n');
    expect(await onlyRun('missing-cmd')).toMatchObject({
      status: 'FAILED',
      exitCode: 127,
      errorMessage: 'command not found: no-such-command-xyz',
    });
  });

  it('--timeout: the command is terminated and the run fails "timed out after 1s"', async () => {
    const result = await runCli(
      ['exec', '--job', 'slow-job', '--timeout', '1s', '--', 'sh', '-c', 'echo started; sleep 30'],
      { env: tracker().env },
    );
    expect(result.code).toBe(143);
    const run = await onlyRun('slow-job');
    expect(run).toMatchObject({
      status: 'FAILED',
      exitCode: 143,
      errorMessage: 'timed out after 1s',
      output: 'started\n',
    });
    expect(run.durationMs).toBeGreaterThanOrEqual(1000);
    expect(run.durationMs).toBeLessThan(10_000);
  });

  it('heartbeats never show on stderr, whatever the tracker answers them', async () => {
    const result = await runCli(
      ['exec', '--job', 'quiet-beats', '--heartbeat-interval', '1s', '--', 'sleep', '2.5'],
      { env: tracker().env },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect((await onlyRun('quiet-beats')).status).toBe('SUCCESS');
  });

  const firstRun = (key: string) =>
    eventually(async () => {
      const list = await tracker().api('GET', `/jobs/by-key/${key}/runs`);
      return list.status === 200 ? list.body.data[0] : undefined;
    });

  it('sends heartbeats while the command runs', async () => {
    const done = join(dir, 'beat-done');
    const cli = startCli(
      ['exec', '--job', 'beating', '--heartbeat-interval', '1s', '--', ...untilFileExists(done)],
      { env: tracker().env },
    );
    const run = await firstRun('beating');
    const beaten = await eventually(async () => {
      const current = (await tracker().api('GET', `/runs/${run.id}`)).body;
      return current.lastHeartbeatAt ? current : undefined;
    });
    expect(beaten.status).toBe('RUNNING');
    writeFileSync(done, '');
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect((await tracker().api('GET', `/runs/${run.id}`)).body.status).toBe('SUCCESS');
  });

  it('a run the tracker finished meanwhile (409 on a heartbeat): one warning, the command goes on', async () => {
    const done = join(dir, 'cancel-done');
    const cli = startCli(
      ['exec', '--job', 'cancelled', '--heartbeat-interval', '1s', '--', ...untilFileExists(done)],
      { env: tracker().env },
    );
    const run = await firstRun('cancelled');
    expect((await tracker().api('PATCH', `/runs/${run.id}`, { status: 'CANCELLED' })).status).toBe(
      200,
    );
    await cli.waitForStderr(`chronotrack: run ${run.id} was finished on the tracker`);
    expect(cli.child.exitCode).toBeNull(); // still running
    writeFileSync(done, '');
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('finished\n');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect((await tracker().api('GET', `/runs/${run.id}`)).body.status).toBe('CANCELLED');
  });

  it("keeps a run alive under its job's heartbeat timeout while the sweeper runs every second", async () => {
    const swept = await startTracker({ SWEEP_INTERVAL_SECONDS: '1' });
    try {
      const job = await swept.api('PUT', '/jobs/by-key/kept-alive', { heartbeatTimeoutSeconds: 2 });
      expect(job.status).toBe(201);
      const result = await runCli(
        ['exec', '--job', 'kept-alive', '--heartbeat-interval', '1s', '--', 'sleep', '5'],
        { env: swept.env },
      );
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const list = await swept.api('GET', '/jobs/by-key/kept-alive/runs');
      expect(list.body.data).toHaveLength(1);
      expect(list.body.data[0]).toMatchObject({ status: 'SUCCESS', errorMessage: null });
    } finally {
      await swept.close();
    }
  }, 30_000);

  it('stdin and stdout pass through while the run is reported', async () => {
    const input = 'one\ntwo\nthree\n';
    const result = await runCli(['exec', '--job', 'piped', '--', 'cat'], {
      env: tracker().env,
      input,
    });
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe(input);
    expect((await onlyRun('piped')).status).toBe('SUCCESS');
  });

  it('a tracker that comes back before the command ends: the run is created then, and finished', async () => {
    const late = await startTracker();
    await late.stop();
    const done = join(dir, 'late-done');
    const cli = startCli(['exec', '--job', 'late', '--', ...untilFileExists(done)], {
      env: late.env,
    });
    try {
      await cli.waitForStderr('chronotrack: cannot reach the tracker');
      await late.start();
      const created = await eventually(async () => {
        const list = await late.api('GET', '/jobs/by-key/late/runs');
        return list.status === 200 && list.body.data.length > 0 ? list.body.data[0] : undefined;
      });
      expect(created.status).toBe('RUNNING');
      writeFileSync(done, '');
      const result = await cli.done;
      expect(result.code).toBe(0);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1); // the one warning
      const list = await late.api('GET', '/jobs/by-key/late/runs');
      expect(list.body.data).toHaveLength(1);
      const run = list.body.data[0];
      expect(run).toMatchObject({ id: created.id, status: 'SUCCESS', exitCode: 0 });
      // The run started when the command did, before the tracker heard of it.
      expect(Date.parse(run.startedAt)).toBeLessThan(Date.parse(run.createdAt));
    } finally {
      await late.close();
    }
  }, 60_000);

  it('a tracker down when the command ends: the finish is retried until it lands, on the same run', async () => {
    const flaky = await startTracker();
    const done = join(dir, 'flaky-done');
    const cli = startCli(['exec', '--job', 'flaky', '--', ...untilFileExists(done)], {
      env: flaky.env,
    });
    try {
      const created = await eventually(async () => {
        const list = await flaky.api('GET', '/jobs/by-key/flaky/runs');
        return list.body?.data?.[0];
      });
      await flaky.stop();
      writeFileSync(done, '');
      await new Promise((resolve) => setTimeout(resolve, 1500)); // a few refused attempts
      expect(cli.child.exitCode).toBeNull();
      await flaky.start();
      const result = await cli.done;
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const list = await flaky.api('GET', '/jobs/by-key/flaky/runs');
      expect(list.body.data).toHaveLength(1);
      expect(list.body.data[0]).toMatchObject({ id: created.id, status: 'SUCCESS' });
    } finally {
      await flaky.close();
    }
  }, 60_000);

  it('a closed port for the whole run: the command runs and exits as it would, one warning', async () => {
    const port = await freePort();
    const result = await runCli(['exec', '--job', 'never', '--', 'sh', '-c', 'exit 9'], {
      env: { ...tracker().env, CHRONOTRACK_URL: `http://127.0.0.1:${port}` },
    });
    expect(result.code).toBe(9);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'chronotrack: cannot reach the tracker (ECONNREFUSED); running the command anyway and retrying in the background',
    ]);
  });

  it('a key that may not create the run: one warning naming the refusal, the command still runs', async () => {
    const reader = await tracker().api('POST', '/keys', { name: 'reader', scope: 'read' });
    const result = await runCli(['exec', '--job', 'read-only', '--', 'sh', '-c', 'exit 0'], {
      env: { ...tracker().env, CHRONOTRACK_API_KEY: reader.body.key },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^chronotrack: could not create the run of job 'read-only': Forbidden: .+\n$/,
    );
  });
});
