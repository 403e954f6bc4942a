import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config.js';

/**
 * deploy/systemd/chronotrack.service, checked by systemd itself (systemd-analyze, offline: no
 * running systemd needed), and its settings file by the server's own config parser.
 */
const UNIT = readFileSync(new URL('./chronotrack.service', import.meta.url), 'utf8');
const ENV_FILE = readFileSync(new URL('./chronotrack.env', import.meta.url), 'utf8');
const SYSTEMD_ANALYZE = process.env.SYSTEMD_ANALYZE ?? 'systemd-analyze';

// A copy to check, whose `node` is the one running this test: verify fails on a command it cannot
// find, and the host's Node 24 may be on no PATH of this machine (.ci/run's is in ~/.cache).
const dir = mkdtempSync(join(tmpdir(), 'chronotrack-systemd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const unitFile = join(dir, 'chronotrack.service');
writeFileSync(unitFile, UNIT.replace(/^ExecStart=node /m, `ExecStart=${process.execPath} `));

/** systemd-analyze's output, failing with how to install it when it is missing. */
function systemdAnalyze(...args: string[]) {
  const result = spawnSync(SYSTEMD_ANALYZE, args, { cwd: dir, encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      `systemd-analyze not found (${SYSTEMD_ANALYZE}): apt-get install -y systemd (.ci/run does), or set SYSTEMD_ANALYZE`,
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('deploy/systemd/chronotrack.service', () => {
  it('verifies: no unknown key, no value systemd would ignore, every command found', () => {
    // verify exits 0 on an unknown key or an unparsable value, but names it: nothing may be said.
    const { status, output } = systemdAnalyze('verify', unitFile);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('is hardened: systemd-analyze security rates its exposure OK (below 2)', () => {
    const { status, output } = systemdAnalyze('security', '--offline=true', unitFile);
    expect(status, output).toBe(0);
    const exposure = Number(
      /Overall exposure level for chronotrack\.service: ([\d.]+)/.exec(output)?.[1],
    );
    expect(exposure, output).toBeLessThan(2);
  });

  it('runs the built server as its own user, its data in StateDirectory, restarted on failure', () => {
    const settings = new Map(
      UNIT.split('\n')
        .filter((line) => /^[A-Za-z]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(settings.get('User')).toBe('chronotrack');
    expect(settings.get('StateDirectory')).toBe('chronotrack');
    expect(settings.get('ExecStart')).toBe('node /opt/chronotrack/dist/functions/node.js');
    expect(settings.get('EnvironmentFile')).toBe('/etc/chronotrack/chronotrack.env');
    expect(settings.get('Restart')).toBe('on-failure');
    for (const [key, value] of [
      ['ProtectSystem', 'strict'],
      ['NoNewPrivileges', 'true'],
      ['PrivateTmp', 'true'],
      ['ProtectHome', 'true'],
      ['CapabilityBoundingSet', ''],
    ] as const)
      expect(settings.get(key), key).toBe(value);
    // Above the server's drain (SHUTDOWN_GRACE_MS): it is not killed while requests finish.
    const node = readFileSync(new URL('../../functions/runtime/node.ts', import.meta.url), 'utf8');
    const graceMs = Number(
      /const SHUTDOWN_GRACE_MS = ([\d_]+);/.exec(node)![1]!.replaceAll('_', ''),
    );
    expect(Number(settings.get('TimeoutStopSec'))).toBeGreaterThan(graceMs / 1000 + 5);
  });

  it('keeps the database in the StateDirectory, by default and in the settings file', () => {
    const env = Object.fromEntries(
      ENV_FILE.split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    // Every setting in it, and those commented out, are ones the server accepts.
    const commented = Object.fromEntries(
      [...ENV_FILE.matchAll(/^#([A-Z_]+)=(.*)$/gm)].map(([, key, value]) => [key!, value!]),
    );
    expect(Object.keys(commented)).toEqual(['ADMIN_API_KEY', 'PUBLIC_URL', 'TRUSTED_PROXIES']);
    const config = parseConfig({ ...env, ...commented, ADMIN_API_KEY: 'x'.repeat(32) });
    expect(config.DATABASE_FILE).toBe('/var/lib/chronotrack/chronotrack.db');
    expect(UNIT).toContain('DATABASE_FILE=/var/lib/chronotrack/chronotrack.db');
  });
});
