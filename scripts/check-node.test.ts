import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { checkNode } = require('./check-node.cjs') as {
  checkNode: (version: string, range: string, nodePath?: string) => string | null;
};
const script = new URL('./check-node.cjs', import.meta.url).pathname;
const engines = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    engines: { node: string };
  }
).engines.node;

// This machine's system Node is 20: the old-Node path for real, where it exists.
const SYSTEM_NODE = '/usr/bin/node';
const systemMajor = existsSync(SYSTEM_NODE)
  ? Number(execFileSync(SYSTEM_NODE, ['-p', 'process.versions.node.split(".")[0]']).toString())
  : 0;

describe('scripts/check-node.cjs', () => {
  it('understands package.json engines.node and passes the Node running the tests', () => {
    expect(checkNode('24.0.0', engines)).toBeNull();
    expect(checkNode(process.versions.node, engines)).toBeNull();
    expect(spawnSync(process.execPath, [script], { encoding: 'utf8' })).toMatchObject({
      status: 0,
      stderr: '',
    });
  });

  it('names the version found, the version needed and how to get it', () => {
    const message = checkNode('20.20.2', '>=24', '/usr/bin/node');
    expect(message).toContain('needs Node.js >=24');
    expect(message).toContain('this is Node.js v20.20.2 (/usr/bin/node)');
    expect(message).toContain('https://nodejs.org/en/download');
    expect(message).toContain('nvm install 24');
    expect(message).toContain('export PATH="$(bash scripts/ensure-node.sh)/bin:$PATH"');
  });

  it('compares minor and patch versions', () => {
    expect(checkNode('24.1.0', '>=24.2')).not.toBeNull();
    expect(checkNode('24.2.0', '>=24.2')).toBeNull();
    expect(checkNode('v25.0.0', '>=24.2.1')).toBeNull();
    expect(checkNode('24.2.0', '>=24.2.1')).not.toBeNull();
  });

  it('refuses a range shape it does not understand rather than guessing', () => {
    expect(checkNode('24.0.0', '^24 || ^26')).toContain('understands engines.node only as');
  });

  it.skipIf(systemMajor === 0 || systemMajor >= 24)(
    `stops ${SYSTEM_NODE} (an older Node) with exit 1`,
    () => {
      const run = spawnSync(SYSTEM_NODE, [script], { encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(
        `needs Node.js ${engines} (package.json "engines"); this is Node.js v${systemMajor}.`,
      );
      expect(run.stderr).toContain('bash scripts/ensure-node.sh');
    },
  );
});
