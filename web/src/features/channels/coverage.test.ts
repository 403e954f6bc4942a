import { describe, expect, it } from 'vitest';
import { targetsJob } from '../../../../shared/webhooks/event-triggers';
import { channelCoversJob, channelsCovering } from './coverage';

const channel = (overrides: {
  enabled?: boolean;
  projectId?: number | null;
  jobIds?: number[] | null;
}) => ({
  enabled: true,
  projectId: null,
  jobIds: null,
  ...overrides,
});
const job = { id: 7, projectId: 2 };

describe('channelCoversJob', () => {
  it('covers a job when enabled, in its project or none, and naming it or no job', () => {
    expect(channelCoversJob(channel({}), job)).toBe(true);
    expect(channelCoversJob(channel({ projectId: 2 }), job)).toBe(true);
    expect(channelCoversJob(channel({ jobIds: [3, 7] }), job)).toBe(true);
    expect(channelCoversJob(channel({ projectId: 2, jobIds: [7] }), job)).toBe(true);
  });

  it('does not cover it when disabled, in another project, or naming other jobs', () => {
    expect(channelCoversJob(channel({ enabled: false }), job)).toBe(false);
    expect(channelCoversJob(channel({ projectId: 3 }), job)).toBe(false);
    expect(channelCoversJob(channel({ jobIds: [3] }), job)).toBe(false);
  });

  it("agrees with the server's targetsJob (and so its triggers) over every combination", () => {
    const projects = [null, 1, 2];
    const lists = [null, [7], [3], [3, 7], [8, 9]];
    const jobs = [
      { id: 7, projectId: 1 },
      { id: 7, projectId: 2 },
      { id: 3, projectId: 1 },
      { id: 9, projectId: 2 },
    ];
    let cases = 0;
    for (const enabled of [true, false])
      for (const projectId of projects)
        for (const jobIds of lists)
          for (const j of jobs) {
            const server = enabled && targetsJob({ projectId, jobId: null, jobIds }, j);
            expect(
              channelCoversJob({ enabled, projectId, jobIds }, j),
              JSON.stringify({ enabled, projectId, jobIds, j }),
            ).toBe(server);
            cases++;
          }
    expect(cases).toBe(120);
  });

  it('channelsCovering keeps the order of the list', () => {
    const list = [
      { ...channel({ jobIds: [7] }), name: 'a' },
      { ...channel({ projectId: 3 }), name: 'b' },
      { ...channel({}), name: 'c' },
    ];
    expect(channelsCovering(list, job).map((c) => c.name)).toEqual(['a', 'c']);
  });
});
