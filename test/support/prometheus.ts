import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './node-process.js';

/** Debian's `prometheus` package; PROMETHEUS / PROMTOOL point elsewhere. */
export const PROMETHEUS = process.env.PROMETHEUS ?? '/usr/bin/prometheus';
export const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';

/** Fails (never skips) with how to install what is missing: CI must not pass without it. */
export function requireBinary(path: string): void {
  if (!existsSync(path))
    throw new Error(
      `${path} not found: install Prometheus (apt-get install -y prometheus) or set PROMETHEUS and PROMTOOL`,
    );
}

export interface QueryResult {
  status: string;
  error?: string;
  data: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; value: [number, string] }>;
  };
}

export interface PrometheusOnLoopback {
  url: string;
  output(): string;
  exited(): boolean;
  /** An instant query through Prometheus' HTTP API, its whole answer. */
  query(expr: string): Promise<QueryResult>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus on loopback scraping `target` (`host:port`) every second at `/metrics`, with
 * the read key in `keyFile` as `credentials_file`, as docs/observability.md configures it; its
 * files live in `dir`. `ruleFiles` are evaluated every second too.
 */
export async function startPrometheus(options: {
  dir: string;
  target: string;
  keyFile: string;
  ruleFiles?: string[];
}): Promise<PrometheusOnLoopback> {
  requireBinary(PROMETHEUS);
  const config = join(options.dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      `rule_files: ${JSON.stringify(options.ruleFiles ?? [])}`,
      'scrape_configs:',
      '  - job_name: chronotrack',
      '    metrics_path: /metrics',
      `    authorization: { type: Bearer, credentials_file: ${JSON.stringify(options.keyFile)} }`,
      `    static_configs: [{ targets: ['${options.target}'] }]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(options.dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return {
    url,
    output: () => output,
    exited: () => child.exitCode !== null,
    query: async (expr) =>
      (await (
        await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)
      ).json()) as QueryResult,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
