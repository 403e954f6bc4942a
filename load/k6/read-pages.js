// Reading pages: people and wallboards browsing what the dashboard shows (job summaries, a job's
// page, the cross-job run list, failed runs, the next page of a list). VUS readers (default 10)
// for DURATION (default 2m), each pausing about a second between pages. A read key is enough.
//   k6 run -e BASE_URL=... -e API_KEY=<read key> read-pages.js
import { sleep } from 'k6';
import { call, randomInt, requireKey, thresholds } from './lib.js';

export const options = {
  vus: Number(__ENV.VUS || 10),
  duration: __ENV.DURATION || '2m',
  thresholds: thresholds(),
};

export function setup() {
  requireKey();
}

export default function () {
  const summaries = call('GET', '/api/jobs/summaries', { query: { limit: 50, window: '7d' } });
  sleep(Math.random() * 2);
  const jobs = summaries && summaries.data.length ? summaries.data : [];
  if (jobs.length) {
    const id = jobs[randomInt(jobs.length)].job.id;
    call('GET', '/api/jobs/{id}', { id });
    call('GET', '/api/jobs/{id}/stats', { id, query: { window: '7d' } });
    const runs = call('GET', '/api/jobs/{id}/runs', { id, query: { limit: 30 } });
    if (runs && runs.data.length) {
      call('GET', '/api/runs/{runId}', { runId: runs.data[randomInt(runs.data.length)].id });
    }
    sleep(Math.random() * 2);
  }
  const page = call('GET', '/api/runs', { query: { limit: 50, sort: '-createdAt' } });
  if (page && page.nextCursor) {
    call('GET', '/api/runs', { query: { limit: 50, sort: '-createdAt', cursor: page.nextCursor } });
  }
  call('GET', '/api/runs', { query: { status: 'FAILED', limit: 20 } });
  call('GET', '/api/jobs', { query: { limit: 50 } });
  sleep(Math.random() * 2);
}
