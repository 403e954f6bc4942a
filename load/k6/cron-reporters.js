// Average load: cron scripts reporting their runs. Each iteration is one cron run: create a run,
// mark it RUNNING, do "work", then SUCCESS (or FAILED, 5% of the time). RATE runs start each
// second (default 5) across JOBS jobs (default 20) for DURATION (default 5m).
//   k6 run -e BASE_URL=... -e API_KEY=<write key> cron-reporters.js
import { sleep } from 'k6';
import { call, ensureJob, randomInt, requireKey, thresholds } from './lib.js';

const JOBS = Number(__ENV.JOBS || 20);

export const options = {
  scenarios: {
    cron: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE || 5),
      timeUnit: '1s',
      duration: __ENV.DURATION || '5m',
      preAllocatedVUs: 20,
      maxVUs: 200,
    },
  },
  thresholds: thresholds(),
};

export function setup() {
  requireKey();
  const jobs = [];
  for (let i = 1; i <= JOBS; i++) jobs.push(ensureJob(`k6 cron ${i}`, 'cron').id);
  return { jobs };
}

export default function (data) {
  const jobId = data.jobs[randomInt(data.jobs.length)];
  const run = call('POST', '/api/jobs/{id}/runs', { id: jobId }, { metadata: { host: 'k6' } });
  if (!run) return;
  call('PATCH', '/api/runs/{runId}', { runId: run.id }, { status: 'RUNNING' });
  sleep(Math.random() * 2);
  const failed = Math.random() < 0.05;
  call(
    'PATCH',
    '/api/runs/{runId}',
    { runId: run.id },
    failed ? { status: 'FAILED', errorMessage: 'exit code 1 (k6)' } : { status: 'SUCCESS' },
  );
}
