import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inMemoryApp } from '../../test/support/apps.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const scripts = readdirSync(here).filter((file) => file.endsWith('.js'));

interface Request {
  file: string;
  method: string;
  template: string;
  query: string[];
}

/** The arguments' text of every `call(...)` in a source, found by balancing parentheses. */
function callArguments(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/\bcall\(/g)) {
    let depth = 1;
    let i = match.index + match[0].length;
    const start = i;
    for (; i < source.length && depth > 0; i++) {
      if (source[i] === '(') depth++;
      else if (source[i] === ')') depth--;
    }
    found.push(source.slice(start, i - 1));
  }
  return found;
}

/** Every request the k6 scripts make: method, OpenAPI path template and query parameter names. */
function requestsOf(file: string): Request[] {
  const source = readFileSync(`${here}/${file}`, 'utf8');
  return callArguments(source)
    .filter((args) => !args.startsWith('method,')) // call's own definition in lib.js
    .map((args) => {
      const head = /^\s*'([A-Z]+)',\s*'([^']+)'/.exec(args);
      if (!head) throw new Error(`${file}: call(${args}) does not start with literal method, path`);
      const queryText = /query:\s*\{([^}]*)\}/.exec(args)?.[1] ?? '';
      const query = [...queryText.matchAll(/(\w+)\s*:/g)].map((m) => m[1]!);
      return { file, method: head[1]!, template: head[2]!, query };
    });
}

type Operation = { parameters?: Array<{ name: string; in: string }> };

describe('load/k6 scripts', async () => {
  const doc = (await (await inMemoryApp().request('/api/openapi.json')).json()) as {
    servers: Array<{ url: string }>;
    paths: Record<string, Record<string, Operation>>;
  };
  const base = doc.servers[0]!.url;
  /** `GET /api/jobs/{id}` → its operation; /health is served at the root as well as under /api. */
  const operations = new Map<string, Operation>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations.set(`${method.toUpperCase()} ${base}${path}`, operation);
      if (path === '/health') operations.set(`${method.toUpperCase()} /health`, operation);
    }
  }
  const requests = scripts.flatMap(requestsOf);

  it('has the four scenarios, each with thresholds on p95 latency and the error rate', () => {
    expect(scripts).toEqual(
      expect.arrayContaining(['smoke.js', 'cron-reporters.js', 'ci-spike.js', 'read-pages.js']),
    );
    const lib = readFileSync(`${here}/lib.js`, 'utf8');
    expect(lib).toMatch(/http_req_duration: \[`p\(95\)</);
    expect(lib).toMatch(/http_req_failed: \[`rate</);
    for (const file of scripts.filter((f) => f !== 'lib.js')) {
      const source = readFileSync(`${here}/${file}`, 'utf8');
      expect(source, file).toMatch(/thresholds: thresholds\(/);
      expect(source, file).toMatch(/from '\.\/lib\.js'/);
    }
    expect(lib).toMatch(/__ENV\.BASE_URL/);
    expect(lib).toMatch(/__ENV\.API_KEY/);
  });

  it('makes every request through lib.js call(), so the list below is complete', () => {
    for (const file of scripts) {
      const source = readFileSync(`${here}/${file}`, 'utf8');
      const direct = source.match(/\bhttp\.\w+\(/g) ?? [];
      expect(direct, file).toHaveLength(file === 'lib.js' ? 1 : 0);
    }
    expect(requests.length).toBeGreaterThanOrEqual(15);
  });

  it('requests only operations /api/openapi.json has, with query parameters it declares', () => {
    for (const request of requests) {
      const key = `${request.method} ${request.template}`;
      const operation = operations.get(key);
      expect(operation, `${request.file}: ${key} is not in /api/openapi.json`).toBeDefined();
      const declared = (operation!.parameters ?? []).filter((p) => p.in === 'query');
      for (const name of request.query) {
        expect(
          declared.map((p) => p.name),
          `${request.file}: ${key} has no query parameter ${name}`,
        ).toContain(name);
      }
    }
  });

  it('covers the run life cycle and the read pages', () => {
    const used = new Set(requests.map((r) => `${r.method} ${r.template}`));
    for (const op of [
      'POST /api/jobs',
      'POST /api/jobs/{id}/runs',
      'PATCH /api/runs/{runId}',
      'GET /api/jobs/summaries',
      'GET /api/runs',
      'GET /api/jobs/{id}/runs',
    ]) {
      expect(used, op).toContain(op);
    }
  });
});
