// Shared by every scenario: the target, the key and the one function that makes requests.
// Every request goes through `call(method, template, params, body)` with the OpenAPI path
// template as a literal (e.g. '/api/runs/{runId}'): k6 groups its metrics by that template (the
// `name` tag), and load/k6/scripts.test.ts checks each template against /api/openapi.json.
import http from 'k6/http';
import { check, fail } from 'k6';

/** Where ChronoTrack answers, without a trailing slash. */
export const BASE_URL = (__ENV.BASE_URL || 'http://localhost:3000').replace(/\/+$/, '');

/** A `write` key for the scenarios that report runs; a `read` key is enough for read-pages.js. */
export const API_KEY = __ENV.API_KEY || '';

/** The thresholds every scenario shares: p95 latency and the error rate, both overridable. */
export function thresholds(p95Ms = Number(__ENV.P95_MS || 500)) {
  return {
    http_req_failed: [`rate<${__ENV.MAX_ERROR_RATE || 0.01}`],
    http_req_duration: [`p(95)<${p95Ms}`],
    checks: ['rate>0.99'],
  };
}

/** Fails the test at start-up when there is no key (every /api route but /health needs one). */
export function requireKey() {
  if (!API_KEY) fail('Set API_KEY (k6 run -e API_KEY=...): every /api route needs a key.');
}

/**
 * One request. `template` is the OpenAPI path template; `params` fills its `{...}` parts and
 * may carry `query` (an object of query parameters). Returns the parsed JSON body (or null).
 */
export function call(method, template, params = {}, body = undefined, expected = [200, 201]) {
  const { query, ...pathParams } = params;
  let path = template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(pathParams[name]));
  if (query) {
    const pairs = Object.entries(query)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
    if (pairs.length) path += `?${pairs.join('&')}`;
  }
  const headers = { Accept: 'application/json' };
  if (API_KEY) headers.Authorization = `Bearer ${API_KEY}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = http.request(
    method,
    `${BASE_URL}${path}`,
    body === undefined ? null : JSON.stringify(body),
    { headers, tags: { name: `${method} ${template}` } },
  );
  check(response, {
    [`${method} ${template}: ${expected.join('/')}`]: (r) => expected.includes(r.status),
  });
  const type = response.headers['Content-Type'] || '';
  return type.includes('json') && response.body ? response.json() : null;
}

/** The job named `name`, created when it does not exist yet (names are unique). */
export function ensureJob(name, type) {
  const found = call('GET', '/api/jobs', { query: { q: name, limit: 100 } });
  const existing = found && found.data.find((job) => job.name === name);
  if (existing) return existing;
  return call('POST', '/api/jobs', {}, { name, type, description: 'created by load/k6' });
}

/** A pseudo-random integer in [0, n). */
export const randomInt = (n) => Math.floor(Math.random() * n);
