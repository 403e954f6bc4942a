import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../scripts/cli-bundle.mjs';

/**
 * The built bin (what `npm run build` writes to dist/cli/chronotrack.js and the image puts on
 * PATH) runs on its own: copied to a folder with no node_modules and no package.json near it.
 */
describe('the bundled chronotrack bin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-cli-bundle-'));
  const bin = join(dir, 'chronotrack');
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(bin, args, { cwd: dir, env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });

  beforeAll(() => bundleCli(bin), 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is an executable file with a node shebang that needs nothing installed', () => {
    expect(statSync(bin).mode & 0o111).toBe(0o111);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const result = run(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it('wraps a command and keeps its exit code', () => {
    const result = run([
      'exec',
      '--job',
      'bundle',
      '--',
      'sh',
      '-c',
      'echo from the bundle; exit 5',
    ]);
    expect(result.status).toBe(5);
    expect(result.stdout).toBe('from the bundle\n');
  });
});
