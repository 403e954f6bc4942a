import { describe, expect, it } from 'vitest';
import { DURATION_BUCKETS, type JobMetrics } from '../../../shared/job-metrics.js';
import { exposition, JobLabelCache } from './routes.js';

// `as`: the fields of the recorded health arrive with issue 14's job_up change.
const job = (id: number, name: string, project = 'default'): JobMetrics =>
  ({
    jobId: id,
    jobName: name,
    project,
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
  }) as JobMetrics;

const lines = (text: string) => text.split('\n').filter((line) => line.includes('job_id="'));

describe('the job label cache of /metrics', () => {
  it('writes the same exposition as labels formatted afresh, scrape after scrape', async () => {
    const cache = new JobLabelCache();
    const jobs = [job(1, 'Nightly "backup"\\ \n second line'), job(2, 'etl', 'data')];
    const fresh = await exposition(jobs);
    expect(await exposition(jobs, undefined, cache)).toBe(fresh);
    expect(await exposition(jobs, undefined, cache)).toBe(fresh);
    // Escaped once, as the exposition format wants: quote, backslash and newline.
    expect(fresh).toContain('job_name="Nightly \\"backup\\"\\\\ \\n second line"');
    expect(lines(fresh).filter((line) => line.includes('job_id="2"'))).toContainEqual(
      'chronotrack_run_duration_seconds_bucket{job_id="2",job_name="etl",project="data",le="+Inf"} 2',
    );
  });

  it("follows a job's rename and a project's, and drops a deleted job", async () => {
    const cache = new JobLabelCache();
    await exposition([job(1, 'old'), job(2, 'gone')], undefined, cache);
    const text = await exposition([job(1, 'new', 'other')], undefined, cache);
    expect(lines(text).length).toBeGreaterThan(20);
    for (const line of lines(text)) {
      expect(line).toContain('job_id="1",job_name="new",project="other"');
    }
    expect(text).not.toContain('job_name="old"');
    expect(text).not.toContain('gone');
  });
});
