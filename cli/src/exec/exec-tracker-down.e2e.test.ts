import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/node-process.js';
import { eventually, runCli, startCli } from '../../../test/cli/cli-process.js';

/**
 * `chronotrack exec` with no tracker to talk to (a closed port): the wrapped command must behave
 * exactly as it would alone (same bytes out, same stdin, same exit code) and the tracker's
 * absence costs one stderr line.
 */

const node = process.execPath;
const warnings = (stderr: string) =>
  stderr.split('\n').filter((line) => line.startsWith('chronotrack:'));

describe.concurrent('exec with the tracker down', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-cli-down-'));
  let env: Record<string, string>;
  let hung: Server;
  let hungUrl: string;

  beforeAll(async () => {
    env = {
      CHRONOTRACK_URL: `http://127.0.0.1:${await freePort()}`,
      CHRONOTRACK_API_KEY: 'ct_unused',
    };
    // A tracker that accepts connections and never answers.
    hung = createServer(() => {}).listen(0, '127.0.0.1');
    await new Promise((resolve) => hung.once('listening', resolve));
    hungUrl = `http://127.0.0.1:${(hung.address() as { port: number }).port}`;
  });
  afterAll(() => {
    hung.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the command, keeps its exit code and says so in exactly one warning line', async () => {
    const result = await runCli(['exec', '--job', 'down', '--', 'sh', '-c', 'echo ran; exit 3'], {
      env,
    });
    expect(result.code).toBe(3);
    expect(result.stdout.toString()).toBe('ran\n');
    expect(warnings(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^chronotrack: cannot reach the tracker \(ECONNREFUSED\)/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('passes stdout and stderr through byte for byte, binary included', async () => {
    const out = randomBytes(300_000);
    const err = randomBytes(70_000);
    writeFileSync(join(dir, 'out.bin'), out);
    writeFileSync(join(dir, 'err.bin'), err);
    const script = `const fs=require('fs');fs.writeSync(1,fs.readFileSync('${dir}/out.bin'));fs.writeSync(2,fs.readFileSync('${dir}/err.bin'))`;
    const result = await runCli(['exec', '--job', 'bytes', '--', node, '-e', script], { env });
    expect(result.code).toBe(0);
    expect(result.stdout.equals(out)).toBe(true);
    // Our one warning line comes first, before the command starts; then the command's bytes.
    const newline = result.stderrBytes.indexOf(0x0a);
    expect(result.stderrBytes.subarray(0, newline).toString()).toMatch(/^chronotrack: /);
    expect(result.stderrBytes.subarray(newline + 1).equals(err)).toBe(true);
  });

  it('passes stdin through: echo data | chronotrack exec -- cat', async () => {
    const input = Buffer.concat([Buffer.from('first line\nsecond line\n'), randomBytes(200_000)]);
    const result = await runCli(['exec', '--job', 'stdin', '--', 'cat'], { env, input });
    expect(result.code).toBe(0);
    expect(result.stdout.equals(input)).toBe(true);
  });

  it('exits 128+n when the command is killed by signal n (143 for SIGTERM)', async () => {
    const result = await runCli(['exec', '--job', 'sig', '--', 'sh', '-c', 'kill -TERM $$'], {
      env,
    });
    expect(result.code).toBe(143);
    expect(warnings(result.stderr)).toHaveLength(1);
  });

  it('exits 127 for a command that does not exist and 126 for one it cannot execute', async () => {
    const missing = await runCli(['exec', '--job', 'nf', '--', 'no-such-command-xyz', 'a'], {
      env,
    });
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('chronotrack: no-such-command-xyz: command not found');
    const missingPath = await runCli(['exec', '--job', 'nf', '--', join(dir, 'nope.sh')], { env });
    expect(missingPath.code).toBe(127);
    expect(missingPath.stderr).toContain(
      `chronotrack: ${join(dir, 'nope.sh')}: no such file or directory`,
    );

    const script = join(dir, 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\necho never\n');
    chmodSync(script, 0o644);
    const denied = await runCli(['exec', '--job', 'nx', '--', script], { env });
    expect(denied.code).toBe(126);
    expect(denied.stderr).toContain(`chronotrack: ${script}: permission denied`);
    expect(denied.stdout.toString()).toBe('');
  });

  it('forwards SIGTERM to the command and exits with its status', async () => {
    const script =
      "process.on('SIGTERM',()=>{console.log('got SIGTERM');process.exit(7)});console.log('ready');setTimeout(()=>{},60000)";
    const cli = startCli(['exec', '--job', 'fwd', '--', node, '-e', script], { env });
    await cli.waitForStdout('ready');
    cli.child.kill('SIGTERM');
    const result = await cli.done;
    expect(result.code).toBe(7);
    expect(result.stdout.toString()).toBe('ready\ngot SIGTERM\n');
  });

  it('--timeout terminates the command: SIGTERM (143), then SIGKILL when it ignores it (137)', async () => {
    const started = Date.now();
    const polite = await runCli(['exec', '--job', 'to', '--timeout', '1s', '--', 'sleep', '30'], {
      env,
    });
    expect(polite.code).toBe(143);
    expect(Date.now() - started).toBeLessThan(15_000);

    const stubborn = await runCli(
      [
        'exec',
        '--job',
        'to2',
        '--timeout',
        '1s',
        '--kill-after',
        '1s',
        '--',
        'sh',
        '-c',
        'trap "" TERM; sleep 30',
      ],
      { env },
    );
    expect(stubborn.code).toBe(137);
  });

  it('--timeout without a terminal stops everything the command started, not only the command', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const result = await runCli(
      [
        'exec',
        '--job',
        'tree',
        '--timeout',
        '1s',
        '--',
        'sh',
        '-c',
        `sleep 30 & echo $! > '${pidFile}'; wait`,
      ],
      { env },
    );
    expect(result.code).toBe(143);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    // Gone, or a zombie (dead, waiting for an init that may never reap it): not sleeping on.
    const state = () => {
      try {
        return readFileSync(`/proc/${grandchild}/stat`, 'utf8').split(' ')[2];
      } catch {
        return 'gone';
      }
    };
    await eventually(async () => (['gone', 'Z', 'X'].includes(state()!) ? true : undefined), 3000);
  });

  it('a tracker that never answers delays the command by the start budget only', async () => {
    const started = Date.now();
    const result = await runCli(['exec', '--job', 'slow', '--', 'sh', '-c', 'exit 4'], {
      env: { ...env, CHRONOTRACK_URL: hungUrl },
    });
    const took = Date.now() - started;
    expect(result.code).toBe(4);
    expect(warnings(result.stderr)).toEqual([
      'chronotrack: cannot reach the tracker (no answer within 5s); running the command anyway and retrying in the background',
    ]);
    // 5 s to start, at most 5 s for the attempt in flight when the command ends; no 60 s wait.
    expect(took).toBeLessThan(15_000);
  }, 30_000);

  it('without CHRONOTRACK_URL the command still runs, with one warning', async () => {
    const result = await runCli(['exec', '--job', 'nourl', '--', 'sh', '-c', 'echo ok']);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('ok\n');
    expect(warnings(result.stderr)).toEqual([
      'chronotrack: no tracker URL: set CHRONOTRACK_URL or pass --url; running the command without reporting it',
    ]);
  });
});
