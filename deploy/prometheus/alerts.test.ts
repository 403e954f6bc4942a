import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

/** promtool's output (stdout and stderr), failing the test with how to install it when missing. */
function promtool(...args: string[]) {
  const result = spawnSync(PROMTOOL, args, { cwd: here, encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      `promtool not found (${PROMTOOL}): install Prometheus (apt-get install -y prometheus) or set PROMTOOL`,
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('deploy/prometheus/alerts.yml', () => {
  it('is a valid rule file with the three alerts', () => {
    const { status, output } = promtool('check', 'rules', 'alerts.yml');
    expect(output).toContain('SUCCESS: 3 rules found');
    expect(status, output).toBe(0);
  });

  it('passes its unit tests (alerts.test.yml): each alert fires, and stays quiet, as meant', () => {
    const { status, output } = promtool('test', 'rules', 'alerts.test.yml');
    expect(status, output).toBe(0);
    expect(output).toContain('SUCCESS');
  });

  it('names job_name and project in every alert, with a severity', () => {
    const text = readFileSync(`${here}/alerts.yml`, 'utf8');
    expect(text.match(/- alert: /g)).toHaveLength(3);
    expect(text.match(/severity: /g)).toHaveLength(3);
    expect(
      text.match(/summary: '.*\{\{ \$labels\.job_name \}\} \(\{\{ \$labels\.project \}\}\)/g),
    ).toHaveLength(3);
  });
});
