// A spike of CI pipelines: a push storm starts many pipelines at once. Each pipeline creates its
// run already RUNNING, runs a few seconds and reports SUCCESS, FAILED or CANCELLED. The arrival
// rate climbs from 1/s to PEAK/s (default 50) in 10 s, holds for 1 minute, and falls back.
//   k6 run -e BASE_URL=... -e API_KEY=<write key> ci-spike.js
import { sleep } from 'k6';
import { call, ensureJob, randomInt, requireKey, thresholds } from './lib.js';

const PIPELINES = ['build', 'test', 'lint', 'deploy-preview', 'e2e'];
const PEAK = Number(__ENV.PEAK || 50);

export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      startRate: 1,
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: 500,
      stages: [
        { target: 1, duration: '20s' },
        { target: PEAK, duration: '10s' },
        { target: PEAK, duration: '1m' },
        { target: 1, duration: '10s' },
        { target: 1, duration: '20s' },
      ],
    },
  },
  // A spike may be slower than the steady state; errors still may not be.
  thresholds: thresholds(Number(__ENV.P95_MS || 1000)),
};

export function setup() {
  requireKey();
  return { jobs: PIPELINES.map((name) => ensureJob(`k6 ci ${name}`, 'ci').id) };
}

export default function (data) {
  const jobId = data.jobs[randomInt(data.jobs.length)];
  const run = call(
    'POST',
    '/api/jobs/{id}/runs',
    { id: jobId },
    { status: 'RUNNING', metadata: { triggeredBy: 'push', commit: `k6-${__VU}-${__ITER}` } },
  );
  if (!run) return;
  sleep(1 + Math.random() * 4);
  const roll = Math.random();
  const outcome =
    roll < 0.85
      ? { status: 'SUCCESS' }
      : roll < 0.95
        ? { status: 'FAILED', errorMessage: 'tests failed (k6)' }
        : { status: 'CANCELLED' };
  call('PATCH', '/api/runs/{runId}', { runId: run.id }, outcome);
}
