import fc from 'fast-check';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DURATION_BUCKETS, type JobMetrics } from '../../../shared/job-metrics.js';
import { promClientExposition } from '../../../test/support/prom-client-exposition.js';
import { createProcessMetrics } from '../../runtime/node-metrics.js';
import { exposition, PROMETHEUS_CONTENT_TYPE } from './routes.js';

const job = (id: number, name: string, overrides: Partial<JobMetrics> = {}): JobMetrics => ({
  jobId: id,
  jobName: name,
  project: 'default',
  createdTotal: 3,
  successTotal: 1,
  failedTotal: 1,
  cancelledTotal: 0,
  running: 1,
  buckets: DURATION_BUCKETS.map(() => 2),
  durationCount: 2,
  durationSumMs: 1500,
  lastSuccessAt: new Date(1_700_000_000_000),
  lastFailureAt: null,
  lastFinishedStatus: 'FAILED',
  recordedHealth: 'down',
  healthChangedAt: new Date(1_700_000_100_000),
  ...overrides,
});

/** Names that need escaping, or look as if they did. */
const NAMES = [
  'Nightly "backup"',
  'C:\\jobs\\etl',
  'two\nlines',
  'trailing backslash \\',
  '\\"\\n already escaped?',
  'ünïcødé ジョブ 📦',
  'tab\there, carriage\rreturn',
  '{job="x"},le="+Inf"',
  '',
];

/** Jobs with every shape a row can have: escaping, absent timestamps, fractions, big counts. */
const jobs: JobMetrics[] = [
  ...NAMES.map((name, i) => job(i + 1, name, { project: NAMES[(i + 3) % NAMES.length]! })),
  job(20, 'never ran', {
    createdTotal: 0,
    successTotal: 0,
    failedTotal: 0,
    running: 0,
    buckets: DURATION_BUCKETS.map(() => 0),
    durationCount: 0,
    durationSumMs: 0,
    lastSuccessAt: null,
    lastFinishedStatus: null,
    recordedHealth: null,
    healthChangedAt: null,
  }),
  job(21, 'up, fractional', {
    lastFinishedStatus: 'SUCCESS',
    recordedHealth: 'up',
    durationSumMs: 1234567.891,
    lastSuccessAt: new Date(1_700_000_000_123),
    lastFailureAt: new Date(1_699_000_000_001),
  }),
  job(22, 'large', {
    createdTotal: 2 ** 53 - 1,
    buckets: DURATION_BUCKETS.map((_, i) => 10 ** (i + 3)),
    durationCount: 1e21,
    durationSumMs: 1e-7,
  }),
];

describe('the job metrics exposition, written from the rows', () => {
  it("is prom-client's text for the same rows, escaping and absent samples included", async () => {
    expect(await exposition(jobs)).toBe(await promClientExposition(jobs));
    // Escaped once, as the exposition format wants: quote, backslash and newline.
    const text = await exposition(jobs);
    expect(text).toContain(
      'chronotrack_runs_created_total{job_id="1",job_name="Nightly \\"backup\\"",project="trailing backslash \\\\"} 3',
    );
    expect(text).toContain(
      'chronotrack_job_running{job_id="3",job_name="two\\nlines",project="ünïcødé ジョブ 📦"} 1',
    );
  });

  it('is the same for any names and counters', async () => {
    const row = fc.record({
      jobName: fc.string({ unit: 'grapheme' }),
      project: fc.string({ unit: 'binary' }),
      createdTotal: fc.nat(),
      durationSumMs: fc.double({ min: 0, noNaN: true }),
      lastFailureAt: fc.option(fc.integer({ min: 0, max: 4e12 }).map((ms) => new Date(ms))),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 5 }), async (rows) => {
        const generated = rows.map((fields, i) => job(i + 1, fields.jobName, fields));
        expect(await exposition(generated)).toBe(await promClientExposition(generated));
      }),
    );
  });

  it('is the same with no job, and after the process metrics (Node)', async () => {
    expect(await exposition([])).toBe(await promClientExposition([]));
    const processMetrics = createProcessMetrics();
    processMetrics.observeRequest({ method: 'GET', route: '/metrics', status: '200' }, 0.01);
    // Gauges such as the CPU time move between two scrapes: compare the lines that cannot.
    const steady = (text: string) =>
      text.split('\n').filter((line) => !/^(process|nodejs)_/.test(line));
    const ours = await exposition(jobs, processMetrics);
    const theirs = await promClientExposition(jobs, processMetrics.registry);
    expect(steady(ours)).toEqual(steady(theirs));
    expect(ours.split('\n').length).toBe(theirs.split('\n').length);
    expect(ours).toMatch(
      /\nchronotrack_job_up\{job_id="22",job_name="large",project="default"\} 0\n$/,
    );
  });

  it("is served as prom-client's text format", () => {
    expect(PROMETHEUS_CONTENT_TYPE).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
  });
});
