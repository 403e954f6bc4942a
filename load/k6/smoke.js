// Smoke: one virtual user walks a run through its whole life once, to prove the deployment and
// the key work before the heavier scenarios.  k6 run -e BASE_URL=... -e API_KEY=... smoke.js
import { call, ensureJob, requireKey, thresholds } from './lib.js';

export const options = {
  vus: 1,
  iterations: 1,
  thresholds: thresholds(Number(__ENV.P95_MS || 1000)),
};

export function setup() {
  requireKey();
}

export default function () {
  call('GET', '/health');
  call('GET', '/api/me');
  const job = ensureJob('k6 smoke', 'k6');
  const run = call('POST', '/api/jobs/{id}/runs', { id: job.id });
  call('PATCH', '/api/runs/{runId}', { runId: run.id }, { status: 'RUNNING' });
  call('PATCH', '/api/runs/{runId}', { runId: run.id }, { status: 'SUCCESS' });
  call('GET', '/api/runs/{runId}', { runId: run.id });
  call('GET', '/api/jobs/{id}/runs', { id: job.id, query: { limit: 20 } });
  call('GET', '/api/jobs/{id}/stats', { id: job.id, query: { window: '1d' } });
}
